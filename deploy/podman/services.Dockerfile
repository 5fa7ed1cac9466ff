# The services docker-compose.yml pulls from a registry (postgres, redis, prometheus,
# alertmanager), made instead from Debian packages on the same debootstrap base, for
# compose.podman.yml. One image: each service picks its program (entrypoint) and user.
# socat forwards the compose network's `localstack` to moto_server on the host.
FROM debian:bookworm-slim
# policy-rc.d: the packages' maintainer scripts must not try to start their daemons.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 redis-server prometheus \
      prometheus-alertmanager socat \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /prometheus /alertmanager \
 && chown postgres:postgres /var/lib/postgresql/data && chmod 700 /var/lib/postgresql/data \
 && chown nobody:nogroup /prometheus /alertmanager
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint /usr/local/bin/postgres-entrypoint
