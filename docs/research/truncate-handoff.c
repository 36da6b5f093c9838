/* Two libcephfs clients take turns on one file: write 4 KiB of new random bytes, close, then open(O_RDONLY) and read
 * the file back on the same client. Prints every read-back that is not what that client just wrote, and whose write
 * it was.
 *   cc -O2 -D_FILE_OFFSET_BITS=64 -o trunc-handoff truncate-handoff.c -lcephfs
 *   ./trunc-handoff ITERATIONS CLIENTS [PATH] [MODE] [LOGPREFIX]      (CEPH_CONF from the environment)
 * MODE (default trunc):
 *   trunc    open(O_WRONLY|O_CREAT|O_TRUNC), write at the file offset, close        (the original reproducer)
 *   inplace  open(O_WRONLY|O_CREAT), write 4 KiB at offset 0 (same size, no truncate), close
 *   rename   open(PATH.tmp, O_WRONLY|O_CREAT|O_TRUNC), write, close, ceph_rename(PATH.tmp, PATH)
 *   fsync    as trunc, with ceph_fsync on the writer before close
 *   nooc     as trunc, with client_oc=false on every client (ceph_conf_set before mount)
 * LOGPREFIX (optional, "-" for none): each client logs to LOGPREFIX.<client>.log at debug_client 20,
 *   debug_objectcacher 10, debug_objecter 10, debug_ms 1.
 * With a log prefix (or TH_VERBOSE=1), each iteration prints its wall-clock start and the inode number, so a bad
 * iteration can be found in the daemon logs. */
#include <cephfs/libcephfs.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#define SZ 4096
static void die(const char *what, int r) { fprintf(stderr, "%s: %s\n", what, strerror(-r)); exit(1); }
static void wallstamp(char *buf, size_t n) {
    struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
    struct tm tm; gmtime_r(&t.tv_sec, &tm);
    size_t l = strftime(buf, n, "%H:%M:%S", &tm);
    snprintf(buf + l, n - l, ".%06ld", t.tv_nsec / 1000);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s ITERATIONS CLIENTS [PATH] [MODE] [LOGPREFIX]\n", argv[0]); return 2; }
    int iters = atoi(argv[1]), n = atoi(argv[2]);
    char path[256], tmp[300];
    snprintf(path, sizeof path, "%s", argc > 3 ? argv[3] : "/jca-tests/trunc-handoff-c");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    const char *mode = argc > 4 ? argv[4] : "trunc";
    const char *logp = argc > 5 && strcmp(argv[5], "-") ? argv[5] : NULL;
    int verbose = logp || getenv("TH_VERBOSE");
    if (strcmp(mode, "trunc") && strcmp(mode, "inplace") && strcmp(mode, "rename") && strcmp(mode, "fsync")
        && strcmp(mode, "nooc")) { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
    struct ceph_mount_info *m[8];
    if (n < 1 || n > 8) { fprintf(stderr, "1..8 clients\n"); return 2; }
    for (int i = 0; i < n; i++) {
        int r;
        if ((r = ceph_create(&m[i], NULL)) < 0) die("ceph_create", r);
        if ((r = ceph_conf_read_file(m[i], getenv("CEPH_CONF"))) < 0) die("ceph_conf_read_file", r);
        if (logp) {
            char f[512]; snprintf(f, sizeof f, "%s.%d.log", logp, i);
            if ((r = ceph_conf_set(m[i], "log_file", f)) < 0) die("log_file", r);
            if ((r = ceph_conf_set(m[i], "debug_client", "20")) < 0) die("debug_client", r);
            if ((r = ceph_conf_set(m[i], "debug_objectcacher", "10")) < 0) die("debug_objectcacher", r);
            if ((r = ceph_conf_set(m[i], "debug_objecter", "10")) < 0) die("debug_objecter", r);
            if ((r = ceph_conf_set(m[i], "debug_ms", "1")) < 0) die("debug_ms", r);
        }
        if (!strcmp(mode, "nooc") && (r = ceph_conf_set(m[i], "client_oc", "false")) < 0) die("client_oc", r);
        if ((r = ceph_mount(m[i], "/")) < 0) die("ceph_mount", r);
    }
    ceph_mkdirs(m[0], "/jca-tests", 0755);
    static unsigned char hist[100000][SZ];
    unsigned char back[2 * SZ];
    int bad = 0;
    srand(1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < iters && i < 100000; i++) {
        struct ceph_mount_info *c = m[i % n];
        char ws[32];
        if (verbose) wallstamp(ws, sizeof ws);
        for (int k = 0; k < SZ; k++) hist[i][k] = rand();
        int inplace = !strcmp(mode, "inplace"), ren = !strcmp(mode, "rename");
        int flags = O_WRONLY | O_CREAT | (inplace ? 0 : O_TRUNC);
        int fd = ceph_open(c, ren ? tmp : path, flags, 0644);
        if (fd < 0) die("open w", fd);
        /* offset -1 = the file offset (0 after open); inplace writes at offset 0 explicitly */
        if (ceph_write(c, fd, (char *)hist[i], SZ, inplace ? 0 : -1) != SZ) die("write", -5);
        if (!strcmp(mode, "fsync")) { int r = ceph_fsync(c, fd, 0); if (r < 0) die("fsync", r); }
        ceph_close(c, fd);
        if (ren) { int r = ceph_rename(c, tmp, path); if (r < 0) die("rename", r); }
        fd = ceph_open(c, path, O_RDONLY, 0);
        if (fd < 0) die("open r", fd);
        int got = 0, r;
        while ((r = ceph_read(c, fd, (char *)back + got, sizeof back - got, got)) > 0) got += r;
        struct ceph_statx sx;
        if (verbose && ceph_fstatx(c, fd, &sx, CEPH_STATX_INO, AT_STATX_DONT_SYNC) == 0)
            printf("ITER %d client %d start %s ino 0x%llx\n", i, i % n, ws, (unsigned long long)sx.stx_ino);
        ceph_close(c, fd);
        if (got != SZ || memcmp(back, hist[i], SZ) != 0) {
            int src = -1;
            for (int k = i - 1; k >= 0 && k >= i - 50; k--)
                if (got == SZ && memcmp(back, hist[k], SZ) == 0) { src = k; break; }
            bad++;
            printf("BAD iteration %d client %d: read %d bytes = %s %d (client %d)\n", i, i % n, got,
                   src < 0 ? "no recent write" : "write", src, src < 0 ? -1 : src % n);
        }
        fflush(stdout);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%s: %d iterations, %d clients, %d bad, %.1f s\n", mode, iters, n, bad,
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    for (int i = 0; i < n; i++) { ceph_unmount(m[i]); ceph_release(m[i]); }
    return 0;
}
