#include "cicu.h"
#include <unicode/uversion.h>

int32_t cicu_version_major(void) { return U_ICU_VERSION_MAJOR_NUM; }
