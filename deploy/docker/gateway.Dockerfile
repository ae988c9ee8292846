# syntax=docker/dockerfile:1
# The Aviary gateway: a YARP reverse proxy that routes by rollout, an Orleans client of the silos
# (its own endpoints under /_aviary: healthz/live, healthz/ready, metrics).
#
# Build from the repository root (the context must hold src/ and the root props):
#   docker build -f deploy/docker/gateway.Dockerfile -t aviary-gateway:dev .
# Several platforms at once:
#   docker buildx build --platform linux/amd64,linux/arm64 -f deploy/docker/gateway.Dockerfile -t REGISTRY/aviary-gateway:TAG --push .
#
# As for the silo, the chiseled runtime works too (nothing runs in the final stage):
#   --build-arg RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled

ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the project files alone, so a change to the sources does not download packages again.
# These are the gateway and every project it references (Gateway -> Abstractions).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Abstractions/Aviary.Abstractions.csproj src/Abstractions/
COPY src/Gateway/Aviary.Gateway.csproj src/Gateway/
RUN dotnet restore src/Gateway/Aviary.Gateway.csproj -a $TARGETARCH

COPY src/Abstractions/ src/Abstractions/
COPY src/Gateway/ src/Gateway/
RUN dotnet publish src/Gateway/Aviary.Gateway.csproj -c Release -a $TARGETARCH --no-restore -o /app

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./

# Container defaults; Kubernetes sets the rest (see deploy/kubernetes/base/gateway-deployment.yaml).
# The gateway binds Aviary__Gateway__Host:Aviary__Gateway__Port itself, so the base image's
# ASPNETCORE_HTTP_PORTS is cleared.
ENV Aviary__Gateway__Host=0.0.0.0 \
    Aviary__LogFormat=json \
    ASPNETCORE_HTTP_PORTS=

# Traffic, and the gateway's own endpoints under /_aviary (Aviary:Gateway:Port).
EXPOSE 8000

# The non-root user of the .NET images (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Aviary.Gateway.dll"]
