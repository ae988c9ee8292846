# syntax=docker/dockerfile:1
# The Aviary silo: Orleans + ASP.NET Core (HTTP API, web console, dashboard, /healthz, /metrics).
#
# Build from the repository root (the context must hold src/, deploy/sql/ and the root props):
#   docker build -f deploy/docker/silo.Dockerfile -t aviary-silo:dev .
# Several platforms at once:
#   docker buildx build --platform linux/amd64,linux/arm64 -f deploy/docker/silo.Dockerfile -t REGISTRY/aviary-silo:TAG --push .
#
# The runtime image is the regular (Ubuntu) ASP.NET one: it has a shell for `kubectl exec` and
# RUN steps. The chiseled image also works, since this file runs nothing in the final stage and
# the project uses invariant globalization (no ICU needed):
#   --build-arg RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled

ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the project files alone, so a change to the sources does not download packages again.
# These are the silo and every project it references (Silo -> Grains, Gateway -> Abstractions, Agents).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Abstractions/Aviary.Abstractions.csproj src/Abstractions/
COPY src/Agents/Aviary.Agents.csproj src/Agents/
COPY src/Grains/Aviary.Grains.csproj src/Grains/
COPY src/Gateway/Aviary.Gateway.csproj src/Gateway/
COPY src/Silo/Aviary.Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Aviary.Silo.csproj -a $TARGETARCH

# The web console's one npm package (uPlot), fetched here in the build stage only: the build copies
# its two files beside the silo, so the runtime image needs neither node nor the internet.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY src/Silo/WebConsole/package.json src/Silo/WebConsole/package-lock.json src/Silo/WebConsole/
RUN cd src/Silo/WebConsole && npm ci --no-audit --no-fund

COPY src/Abstractions/ src/Abstractions/
COPY src/Agents/ src/Agents/
COPY src/Grains/ src/Grains/
COPY src/Gateway/ src/Gateway/
COPY src/Silo/ src/Silo/
# The silo embeds the schema scripts: <EmbeddedResource Include="..\..\deploy\sql\**\*.sql" />.
COPY deploy/sql/ deploy/sql/
RUN dotnet publish src/Silo/Aviary.Silo.csproj -c Release -a $TARGETARCH --no-restore -o /app \
    && mkdir -p /empty

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
# A data directory the app user may write to (SQLite file of the embedded profile, workflow outputs).
# Copied rather than created with RUN, so a chiseled (shell-less) runtime image works as well.
COPY --from=build --chown=$APP_UID:$APP_UID /empty /var/lib/aviary

# Container defaults; Kubernetes sets the rest (see deploy/kubernetes/base/deployment.yaml).
# The silo binds Aviary__HttpHost:Aviary__HttpPort itself, so the base image's ASPNETCORE_HTTP_PORTS is cleared.
ENV Aviary__HttpHost=0.0.0.0 \
    Aviary__Gateway__Host=0.0.0.0 \
    Aviary__LogFormat=json \
    Aviary__DataDirectory=/var/lib/aviary \
    ASPNETCORE_HTTP_PORTS=

# HTTP (API, dashboard, health, metrics), silo-to-silo, gateway for the aviary console, and the
# embedded traffic gateway (on in the embedded profile only; the cluster runs aviary-gateway pods).
EXPOSE 8080 11111 30000 8000

# The non-root user of the .NET images (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Aviary.Silo.dll"]
