#ifndef GONET_STANDARD_OUTPUT_H
#define GONET_STANDARD_OUTPUT_H

/// Makes standard output line-buffered, so logs piped to a file show each line as it comes.
/// In C because Swift 6 cannot name C's mutable `stdout` global.
void gonet_line_buffered_stdout(void);

#endif
