# gongkai: one static-ish binary on a small Debian runtime, running as a non-root user, with the shipped rubrics,
# working-day calendar and lexicons inside (they are also compiled into the binary; the files are there for
# `--rubric /usr/share/gongkai/rubrics/guoban-2019.toml` and as a template for a province's own).
#
#   docker build -t gongkai:0.1.0 .
#   docker run --rm gongkai:0.1.0 demo --out /tmp/demo        # the sample province, no network needed
#
# Kubernetes: deploy/k8s/ and docs/kubernetes.md.

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

# ---- build ---------------------------------------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS builder
WORKDIR /src
COPY . .
# Plain Dockerfile syntax (no BuildKit-only features), so the legacy builder, BuildKit, buildah and kaniko all build it.
# The release profile keeps line tables for backtraces (130 MB); the image gets the stripped binary (25 MB).
RUN cargo build --release --locked --bin gongkai \
    && install -D -m 0755 target/release/gongkai /out/gongkai \
    && strip /out/gongkai

# ---- runtime -------------------------------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 gongkai \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin gongkai \
    && install -d -o 10001 -g 10001 /data
COPY --from=builder /out/gongkai /usr/local/bin/gongkai
COPY config/rubrics/ /usr/share/gongkai/rubrics/
COPY config/calendars/ /usr/share/gongkai/calendars/
COPY config/lexicons/ /usr/share/gongkai/lexicons/
COPY config/sites.example.toml /usr/share/gongkai/sites.example.toml
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["gongkai"]
CMD ["--help"]
