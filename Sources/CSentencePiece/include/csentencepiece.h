// extern "C" shim over libsentencepiece: an opaque handle, load, encode, decode, train.
#ifndef CSENTENCEPIECE_H
#define CSENTENCEPIECE_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct csp_processor csp_processor;

/// Loads a .model file; returns NULL and writes a message into `error` (size `error_len`) on failure.
csp_processor *csp_load(const char *path, char *error, int32_t error_len);
void csp_free(csp_processor *p);
int32_t csp_vocab_size(const csp_processor *p);

#ifdef __cplusplus
}
#endif
#endif
