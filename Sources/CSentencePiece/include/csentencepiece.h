// extern "C" shim over libsentencepiece: an opaque handle, load, encode, decode, train.
// Only <stdint.h> types cross the boundary; strings are UTF-8 bytes with explicit lengths.
#ifndef CSENTENCEPIECE_H
#define CSENTENCEPIECE_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct csp_processor csp_processor;

/// Loads a .model file; returns NULL and writes a message into `error` (size `error_len`) on failure.
csp_processor *csp_load(const char *path, char *error, int32_t error_len);
/// Loads a serialized ModelProto from memory (Docket validates the bytes first); as csp_load.
csp_processor *csp_load_bytes(const char *data, size_t len, char *error, int32_t error_len);
void csp_free(csp_processor *p);
int32_t csp_vocab_size(const csp_processor *p);

/// Encodes `len` bytes of UTF-8. Writes up to `cap` ids and their [begin, end) byte spans in the
/// input; returns the number of pieces (call again with a larger buffer when it exceeds `cap`),
/// or -1 on error.
int32_t csp_encode(const csp_processor *p, const char *text, int32_t len,
                   int32_t *ids, int32_t *begins, int32_t *ends, int32_t cap);

/// Ids only (libsentencepiece's own fastest path); same return convention as csp_encode.
int32_t csp_encode_ids(const csp_processor *p, const char *text, int32_t len, int32_t *ids, int32_t cap);

/// The piece for an id: pointer to its bytes (owned by the processor) and their length in *len.
const char *csp_id_to_piece(const csp_processor *p, int32_t id, int32_t *len);
/// The id of a piece (the unknown id when absent).
int32_t csp_piece_to_id(const csp_processor *p, const char *piece, int32_t len);
/// 1 when the id is a control symbol (e.g. <s>, </s>, [CLS]), 1 unknown, 0 otherwise.
int32_t csp_is_control(const csp_processor *p, int32_t id);
int32_t csp_is_unknown(const csp_processor *p, int32_t id);
/// unk, bos, eos, pad ids (-1 when the model has none).
int32_t csp_special_id(const csp_processor *p, int32_t which);

/// Decodes ids into `out` (size `cap`); returns the byte length needed (retry when > cap), -1 on error.
int32_t csp_decode(const csp_processor *p, const int32_t *ids, int32_t n, char *out, int32_t cap);

/// SentencePieceTrainer::Train with `n` option names and values (e.g. "input" → a path; no
/// string joining, so paths may hold spaces); returns 1 on success, else 0 with a message in
/// `error`. `quiet` silences the library's stderr logging.
int32_t csp_train(const char *const *keys, const char *const *values, int32_t n,
                  char *error, int32_t error_len, int32_t quiet);

#ifdef __cplusplus
}
#endif
#endif
