// The settings of the program's memory allocator, jemalloc (CMake links it into release builds;
// the sanitizer builds keep their own allocator and leave this file out).
//
// Why not glibc's malloc: an idle keep-alive connection keeps a few small objects (the
// connection, Asio's state for its socket, its readiness wait) and frees its read buffer,
// response buffer and coroutine frames when it is parked (http/connection.h). glibc puts both
// kinds side by side in the I/O thread's arena, so the freed ones become holes between live
// objects, too small to hand back to the kernel: with 10,000 idle connections, 1.3 KiB of
// resident memory each, and almost half of it holes (malloc_info: 5.7 MB free in the arena).
// jemalloc keeps each size class on pages of its own: once the buffers of parked connections
// are freed, whole pages are empty, and it returns them (0.85 KiB per connection; README,
// "Idle keep-alive connections").
//
//   background_thread:true  a jemalloc thread returns empty pages on its own schedule; without
//                           it, pages go back only during later calls to malloc and free, and
//                           a server that just went quiet would keep them.
//   max_background_threads:1  one such thread is plenty (by default, one per CPU).
//   dirty_decay_ms:1000     an empty page is kept about a second for reuse (default 10 s).
//   muzzy_decay_ms:0        and then released with MADV_DONTNEED at once, which lowers RSS
//                           right away (MADV_FREE pages would count until memory runs short).
//
// MALLOC_CONF in the environment overrides these (jemalloc reads it after this string).
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc looks up this name
const char* malloc_conf =
    "background_thread:true,max_background_threads:1,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
