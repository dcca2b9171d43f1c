#include <stdio.h>
#include "CStandardOutput.h"

void gonet_line_buffered_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
