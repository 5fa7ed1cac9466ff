# One image for every subcommand: serve (the default), worker, grade-service, migrate.
#   docker build -t sre-playground .          (or scripts/containers build, with podman)
#   docker run -p 8000:8000 -v sre-data:/var/lib/sre-playground/data sre-playground
#   docker run sre-playground worker
#
# Build stage: the same Debian packages as scripts/bootstrap (--build), then a release build
# whose compiler cache lives in a cache mount, so a rebuild after a source change recompiles
# only what changed. The page assets come from the build context's web/node_modules, which
# `make web` fills from npm (pinned by web/package-lock.json): run it before building.
FROM debian:bookworm-slim AS build
WORKDIR /src
COPY scripts/bootstrap scripts/bootstrap
# tini (the init that forwards signals) and busybox (wget for HEALTHCHECK) go to the runtime
# image as static binaries, and ca-certificates' bundle for TLS to AWS.
RUN apt-get update \
 && scripts/bootstrap --build \
 && apt-get install -y --no-install-recommends tini busybox-static ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake cmake
COPY src src
# The SLO definitions, which the binary embeds (the /slo page and `slo generate` read them).
COPY monitoring/slo.yaml monitoring/slo.yaml
COPY web web
ENV CCACHE_DIR=/root/.cache/ccache CCACHE_BASEDIR=/src CCACHE_MAXSIZE=1G \
    CMAKE_BUILD_PARALLEL_LEVEL=2
RUN --mount=type=cache,target=/root/.cache/ccache,id=sre-playground-ccache \
    cmake --preset release -DBUILD_TESTING=OFF \
 && cmake --build --preset release --target sre-playground \
 && cmake --install build/release --prefix /rootfs/usr --strip

# The runtime file system: the installed tree plus what deploy/image/assemble-rootfs adds.
COPY deploy/image/assemble-rootfs /usr/local/bin/assemble-rootfs
RUN assemble-rootfs /rootfs

# Runtime: nothing but that file system (no package manager, no compiler).
FROM scratch
COPY --from=build /rootfs/ /
# OpenSSL's default location for trusted certificates is not in this file system; the bundle is.
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
# Numeric, so Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
USER 10001:10001
# SQLite (when DATABASE_URL is unset) and the users file live in ./data: mount a volume there.
WORKDIR /var/lib/sre-playground
EXPOSE 8000 8001 8002
# For `serve` on its default port; compose and Kubernetes set their own checks per program.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8000/health/live"]
# tini runs as PID 1: it passes SIGTERM on to the program (which drains, then exits 0) and
# reaps. STOPSIGNAL is SIGTERM, the default.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/bin/sre-playground"]
CMD ["serve"]
