# syntax=docker/dockerfile:1
# The aviary console (a client of the silos' HTTP API). Its entrypoint is the aviary executable:
#   docker build -f deploy/docker/client.Dockerfile -t aviary-client:dev .
#   docker run --rm --network host -e AVIARY_TOKEN=avk_... aviary-client:dev status
#   kubectl run aviary --rm -it --restart=Never --image=aviary-client:dev \
#     --env=AVIARY_SERVER=http://aviary-http:8080 --env=AVIARY_TOKEN=avk_... -- status
#
# The console needs no ASP.NET Core, so it runs on the smaller runtime image. The chiseled one works
# too (nothing runs in the final stage):
#   --build-arg RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled

ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the project files alone (the console and the projects it references).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Abstractions/Aviary.Abstractions.csproj src/Abstractions/
COPY src/Agents/Aviary.Agents.csproj src/Agents/
COPY examples/DemoUpstream/Aviary.DemoUpstream.csproj examples/DemoUpstream/
COPY src/ModelServer/Aviary.ModelServer.csproj src/ModelServer/
COPY src/Client/Aviary.Client.csproj src/Client/
RUN dotnet restore src/Client/Aviary.Client.csproj -a $TARGETARCH

COPY src/Abstractions/ src/Abstractions/
COPY src/Agents/ src/Agents/
COPY examples/DemoUpstream/ examples/DemoUpstream/
COPY examples/ml-lifecycle/ examples/ml-lifecycle/
COPY src/ModelServer/ src/ModelServer/
COPY src/Client/ src/Client/
RUN dotnet publish src/Client/Aviary.Client.csproj -c Release -a $TARGETARCH --no-restore -o /app \
    && mkdir -p /empty

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
# A working directory the app user may write to (aviary data generate, workflow from-imports --out).
COPY --from=build --chown=$APP_UID:$APP_UID /empty /work
WORKDIR /work

# `kubectl exec ... -- aviary status` finds the executable too.
ENV PATH="/app:${PATH}"

USER $APP_UID
ENTRYPOINT ["/app/aviary"]
