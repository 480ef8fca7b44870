# Build: a full Swift toolchain, with libcurl's and SQLite's headers.
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4-openssl-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The server reads its OpenAPI document (served at /openapi.json) from the resource bundle beside the binary.
RUN swift build -c release --product switchboard --static-swift-stdlib \
 && mkdir /out \
 && cp "$(swift build -c release --show-bin-path)/switchboard" /out/ \
 && cp -R "$(swift build -c release --show-bin-path)/Switchboard_SwitchboardServer.resources" /out/

# Run: slim Debian with libcurl and CA certificates, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4 libsqlite3-0 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/switchboard --create-home switchboard
WORKDIR /srv/switchboard
COPY --from=build /out/ /usr/local/bin/
RUN test -f /usr/local/bin/Switchboard_SwitchboardServer.resources/openapi.json
COPY Config ./Config
COPY Routes ./Routes
RUN mkdir -p .switchboard && chown -R switchboard:switchboard /srv/switchboard
USER switchboard
# Config/docker.yaml listens on all interfaces and holds no secret: the server refuses to start until the
# secrets come from SWITCHBOARD_* variables or a mounted configuration (the demo values are refused off loopback).
VOLUME ["/srv/switchboard/.switchboard"]
EXPOSE 8080
ENTRYPOINT ["switchboard", "serve"]
CMD ["--config", "Config/docker.yaml"]
