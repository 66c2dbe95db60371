// libsentencepiece behind the C interface of include/csentencepiece.h.
#include "csentencepiece.h"
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <string>
#include <exception>
#include <vector>
#include <unordered_map>

// `blob` owns the serialized model handed to csp_load_bytes (declared first: destroyed after
// `sp`), so nothing in the processor can point into memory the caller frees.
struct csp_processor { std::string blob; sentencepiece::SentencePieceProcessor sp; };

static void write_error(char *error, int32_t error_len, const std::string &msg) {
    if (error && error_len > 0) {
        std::strncpy(error, msg.c_str(), (size_t)error_len - 1);
        error[error_len - 1] = 0;
    }
}

extern "C" csp_processor *csp_load(const char *path, char *error, int32_t error_len) {
    auto *p = new csp_processor();
    auto status = p->sp.Load(path);
    if (!status.ok()) {
        write_error(error, error_len, status.ToString());
        delete p;
        return nullptr;
    }
    return p;
}

extern "C" csp_processor *csp_load_bytes(const char *data, size_t len, char *error, int32_t error_len) {
    auto *p = new csp_processor();
    // libsentencepiece (and darts inside it) may throw on a malformed model: an exception must
    // not cross into Swift (it would abort the process), so it becomes an error message.
    try {
        p->blob.assign(data, len);
        auto status = p->sp.LoadFromSerializedProto(absl::string_view(p->blob));
        if (!status.ok()) {
            write_error(error, error_len, status.ToString());
            delete p;
            return nullptr;
        }
    } catch (const std::exception &e) {
        write_error(error, error_len, std::string("cannot load the model: ") + e.what());
        delete p;
        return nullptr;
    } catch (...) {
        write_error(error, error_len, "cannot load the model: unknown exception");
        delete p;
        return nullptr;
    }
    return p;
}

extern "C" void csp_free(csp_processor *p) { delete p; }
extern "C" int32_t csp_vocab_size(const csp_processor *p) { return p->sp.GetPieceSize(); }

extern "C" int32_t csp_encode(const csp_processor *p, const char *text, int32_t len,
                              int32_t *ids, int32_t *begins, int32_t *ends, int32_t cap) {
    auto proto = p->sp.EncodeAsImmutableProto(absl::string_view(text, (size_t)len));
    const int32_t n = (int32_t)proto.pieces_size();
    if (n > cap) return n;
    for (int32_t i = 0; i < n; i++) {
        const auto &piece = proto.pieces(i);  // by reference: a copy would allocate its strings
        ids[i] = (int32_t)piece.id();
        begins[i] = (int32_t)piece.begin();
        ends[i] = (int32_t)piece.end();
    }
    return n;
}

extern "C" int32_t csp_encode_ids(const csp_processor *p, const char *text, int32_t len, int32_t *ids, int32_t cap) {
    std::vector<int> out;
    if (!p->sp.Encode(absl::string_view(text, (size_t)len), &out).ok()) return -1;
    const int32_t n = (int32_t)out.size();
    if (n > cap) return n;
    for (int32_t i = 0; i < n; i++) ids[i] = out[i];
    return n;
}

extern "C" const char *csp_id_to_piece(const csp_processor *p, int32_t id, int32_t *len) {
    if (id < 0 || id >= p->sp.GetPieceSize()) { *len = 0; return ""; }
    const std::string &s = p->sp.IdToPiece(id);
    *len = (int32_t)s.size();
    return s.data();
}

extern "C" int32_t csp_piece_to_id(const csp_processor *p, const char *piece, int32_t len) {
    return p->sp.PieceToId(absl::string_view(piece, (size_t)len));
}

extern "C" int32_t csp_is_control(const csp_processor *p, int32_t id) { return p->sp.IsControl(id) ? 1 : 0; }
extern "C" int32_t csp_is_unknown(const csp_processor *p, int32_t id) { return p->sp.IsUnknown(id) ? 1 : 0; }

extern "C" int32_t csp_special_id(const csp_processor *p, int32_t which) {
    switch (which) {
    case 0: return p->sp.unk_id();
    case 1: return p->sp.bos_id();
    case 2: return p->sp.eos_id();
    default: return p->sp.pad_id();
    }
}

extern "C" int32_t csp_decode(const csp_processor *p, const int32_t *ids, int32_t n, char *out, int32_t cap) {
    std::vector<int> v(ids, ids + n);
    std::string text;
    if (!p->sp.Decode(v, &text).ok()) return -1;
    if ((int32_t)text.size() <= cap) std::memcpy(out, text.data(), text.size());
    return (int32_t)text.size();
}

extern "C" int32_t csp_train(const char *const *keys, const char *const *values, int32_t n,
                             char *error, int32_t error_len, int32_t quiet) {
    std::unordered_map<std::string, std::string> kwargs;
    for (int32_t i = 0; i < n; ++i) kwargs[keys[i]] = values[i];
    // libsentencepiece logs its command line to stderr before it reads --minloglevel; when
    // quiet, fd 2 points at /dev/null for the duration of the call.
    int saved = -1;
    if (quiet) {
        fflush(stderr);
        saved = dup(2);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) { dup2(devnull, 2); close(devnull); }
    }
    auto status = sentencepiece::SentencePieceTrainer::Train(kwargs);
    if (saved >= 0) { fflush(stderr); dup2(saved, 2); close(saved); }
    if (!status.ok()) { write_error(error, error_len, status.ToString()); return 0; }
    return 1;
}
