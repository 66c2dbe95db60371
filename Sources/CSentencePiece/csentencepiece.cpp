#include "csentencepiece.h"
#include <sentencepiece_processor.h>
#include <cstring>
#include <string>

struct csp_processor { sentencepiece::SentencePieceProcessor sp; };

extern "C" csp_processor *csp_load(const char *path, char *error, int32_t error_len) {
    auto *p = new csp_processor();
    auto status = p->sp.Load(path);
    if (!status.ok()) {
        if (error && error_len > 0) {
            std::strncpy(error, status.ToString().c_str(), (size_t)error_len - 1);
            error[error_len - 1] = 0;
        }
        delete p;
        return nullptr;
    }
    return p;
}
extern "C" void csp_free(csp_processor *p) { delete p; }
extern "C" int32_t csp_vocab_size(const csp_processor *p) { return p->sp.GetPieceSize(); }
