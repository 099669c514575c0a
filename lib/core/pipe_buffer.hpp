// Pipes sized for frames. A Linux pipe holds 64 KiB by default, so a 6 MB 1080p frame
// crosses it in ~100 write/read rounds, each a context switch on a loaded machine; 1 MiB
// (the default unprivileged maximum, /proc/sys/fs/pipe-max-size) cuts that 16-fold.
#pragma once
#include <fcntl.h>

namespace s3d {

// Best effort: `fd` not a pipe, or the limit lower, leaves it as it is.
inline void widen_pipe(int fd) {
#ifdef F_SETPIPE_SZ
  ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
  (void)fd;
#endif
}

}  // namespace s3d
