# syntax=docker/dockerfile:1
# rtc-tokens-server: multi-stage build, non-root runtime, no secret in any layer.
#
#   docker build -t rtc-tokens-server .
#   docker run --rm -p 8080:8080 \
#     -e API_KEYS_FILE=/run/secrets/api_keys -v "$PWD/api_keys:/run/secrets/api_keys:ro" \
#     -e AGORA_APP_ID=... -e AGORA_APP_CERTIFICATE_FILE=/run/secrets/agora_cert \
#     -v "$PWD/agora_cert:/run/secrets/agora_cert:ro" rtc-tokens-server
#
# Credentials and API keys are given at run time (environment or mounted
# files), never as build arguments.

FROM rust:1-slim-bookworm AS build
WORKDIR /src
# Only the sources: no target/, .git, or stray local files (.env...) reach the build context layers.
COPY Cargo.toml Cargo.lock ./
COPY crates crates
COPY xtask xtask
# A workspace member (the conformance harness): cargo needs its manifest to load the workspace.
COPY tests tests
# Another member (the Node binding's Rust half, not built here): its manifest and sources only, no node_modules.
COPY bindings/node/Cargo.toml bindings/node/build.rs bindings/node/
COPY bindings/node/src bindings/node/src
# And the Python binding's Rust half (a member, not built here): manifest, the
# README it names, and sources; no Python package, tests or virtualenvs.
COPY bindings/python/Cargo.toml bindings/python/README.md bindings/python/
COPY bindings/python/src bindings/python/src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p rtc-tokens-server \
    && install -D -m 0755 target/release/rtc-tokens-server /out/rtc-tokens-server

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin rtc-tokens
COPY --from=build /out/rtc-tokens-server /usr/local/bin/rtc-tokens-server
USER 10001:10001
# Listen on all interfaces inside the container; the port follows SERVER_PORT/PORT (default 8080).
ENV BIND_HOST=0.0.0.0 \
    LOG_FORMAT=json
EXPOSE 8080
STOPSIGNAL SIGTERM
# No curl in the image: the binary GETs its own /healthz on 127.0.0.1 and the
# port it would listen on (PORT, SERVER_PORT, BIND_ADDR; 8080). Docker and
# Compose use this; OCI-format images (podman, buildah) and Kubernetes ignore
# it (the manifests have their own probes).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/rtc-tokens-server", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/rtc-tokens-server"]
