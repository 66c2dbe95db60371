// A tiny C shim over ICU. Its public header uses only <stdint.h> types, so ICU's headers
// never meet the copy of ICU that Foundation ships (DESIGN.md §8).
#ifndef CICU_H
#define CICU_H
#include <stdint.h>

/// ICU major version this shim was built against (sanity check for tests).
int32_t cicu_version_major(void);

#endif
