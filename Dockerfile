# syntax=docker/dockerfile:1
# Stage 1: Bun builds and tests the code, then compiles the one executable.
FROM oven/bun:1.4.5-debian AS build
WORKDIR /src
COPY package.json package-lock.json bunfig.toml tsconfig.json ./
# Bun reads package-lock.json; scripts stay off (the bun npm package's postinstall is not needed here).
RUN bun install --frozen-lockfile --ignore-scripts
COPY src ./src
COPY scripts ./scripts
COPY test ./test
# Browser and conformance tests need Chromium and Node, which CI installs; the image build runs every other test.
RUN SCIMD_SKIP_EXTERNAL_TESTS=1 bun test
RUN bun scripts/build.ts /out/scimd && mkdir -m 0700 -p /out/data

# Stage 2: a minimal runtime with glibc and nothing else; the binary runs as a non-root user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/scimd /usr/local/bin/scimd
# The volume's mount point belongs to the runtime user (0700, as scimd makes a data directory), so a fresh
# named volume is writable by it and readable by nobody else.
COPY --from=build --chown=65532:65532 /out/data /data
ENV SCIMD_HOST=0.0.0.0 \
    SCIMD_PORT=8080 \
    SCIMD_DATA_DIR=/data
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
# No shell or curl in the image: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/scimd", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/scimd"]
CMD ["serve"]
