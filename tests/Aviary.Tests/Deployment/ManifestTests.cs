using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text;
using Aviary.Gateway;
using Aviary.Silo.Configuration;
using Aviary.Tests.EndToEnd;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Aviary.Tests.Deployment.RepoFiles;

namespace Aviary.Tests.Deployment;

/// <summary>
/// deploy/kubernetes (and deploy/prometheus) agree with the silo, the gateway and themselves: probes
/// hit paths the processes serve, ports and settings are ones they read, selectors select the pods
/// of one workload, references resolve. Static checks of the files as written: no kustomize, no cluster.
/// </summary>
public sealed class ManifestTests
{
    private const string LivePath = Aviary.Silo.Health.HealthEndpoints.LivePath;
    private const string ReadyPath = Aviary.Silo.Health.HealthEndpoints.ReadyPath;
    private const string MetricsPath = Aviary.Silo.Hosting.MetricsEndpoint.Path;

    private const string SiloName = "aviary-silo";
    private const string SiloContainerName = "silo";
    private const string ConnectionSecret = "aviary-postgres";
    private const string ConnectionKey = "connection-string";

    private const string GatewayLivePath = AviaryGatewayOptions.AdminPrefix + "/healthz/live";
    private const string GatewayReadyPath = AviaryGatewayOptions.AdminPrefix + "/healthz/ready";
    private const string GatewayMetricsPath = AviaryGatewayOptions.AdminPrefix + "/metrics";

    private const string GatewayName = "aviary-gateway";
    private const string GatewayContainerName = "gateway";
    // Not aviary-gateway: that Service is the silos' Orleans gateway for the console.
    private const string TrafficServiceName = "aviary-traffic";

    private static readonly AviaryOptions Defaults = new();
    private static readonly AviaryGatewayOptions GatewayDefaults = new();
    private static readonly GatewayClusterOptions GatewayClusterDefaults = new();
    private static readonly string KubernetesDir = Path.Combine(RepoPaths.Root, "deploy", "kubernetes");

    public static TheoryData<string> Overlays()
    {
        var names = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(KubernetesDir, "overlays")).Order(StringComparer.Ordinal))
            names.Add(Path.GetFileName(dir));
        return names;
    }

    // ---- every file -------------------------------------------------------------------------

    [Fact]
    public void EveryYamlFile_ParsesIntoObjectsWithKindAndName()
    {
        var files = YamlFiles().ToList();
        var problems = new List<string>();
        foreach (var file in files)
        {
            var manifests = Load(file);
            if (manifests.Count == 0)
                problems.Add($"{Relative(file)}: holds no YAML object");
            foreach (var m in manifests)
            {
                if (m.Kind.Length == 0)
                    problems.Add($"{m.Source}: an object without kind");
                else if (m.Kind != "Kustomization" && m.Name.Length == 0)
                    problems.Add($"{m.Source}: {m.Kind} without metadata.name");
            }
        }

        Assert.NotEmpty(files);
        AssertNone(problems);
    }

    [Fact]
    public void Resources_LeaveTheNamespaceToTheOverlays()
    {
        var namespaced = AllManifests().Where(m => Text(m.Root, "metadata", "namespace") is not null).Select(m => $"{m}: sets metadata.namespace").ToList();

        AssertNone(namespaced);
    }

    [Fact]
    public void KustomizationEntries_ExistOnDisk()
    {
        var problems = new List<string>();
        foreach (var dir in KustomizationDirs())
        {
            var at = Relative(Path.Combine(dir, "kustomization.yaml"));
            foreach (var entry in Strings(Kustomization(dir), "resources"))
            {
                var path = Path.Combine(dir, entry);
                if (!File.Exists(path) && !File.Exists(Path.Combine(path, "kustomization.yaml")))
                    problems.Add($"{at}: resources entry '{entry}' is neither a file nor a folder with a kustomization.yaml");
            }
            foreach (var patch in PatchFiles(dir).Where(p => !File.Exists(p)))
                problems.Add($"{at}: patch '{Relative(patch)}' does not exist");
        }

        AssertNone(problems);
    }

    [Fact]
    public void EveryManifestFile_IsUsedByAKustomization()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in KustomizationDirs())
        {
            used.UnionWith(Strings(Kustomization(dir), "resources").Select(e => Path.GetFullPath(Path.Combine(dir, e))));
            used.UnionWith(PatchFiles(dir));
        }

        var unused = YamlFiles().Where(f => Path.GetFileName(f) != "kustomization.yaml" && !used.Contains(f)).Select(f => $"{Relative(f)}: listed in no kustomization.yaml (resources or patches)").ToList();

        AssertNone(unused);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void OverlayPatches_TargetObjectsTheOverlayBuilds(string overlay)
    {
        var dir = Path.Combine(KubernetesDir, "overlays", overlay);
        var built = Resources(dir).Select(m => (m.Kind, m.Name)).ToHashSet();

        var strays = PatchFiles(dir).SelectMany(Load).Where(p => !built.Contains((p.Kind, p.Name))).Select(p => $"{p}: patches an object the overlay does not build").ToList();

        AssertNone(strays);
    }

    [Fact]
    public void AviaryEnvironmentVariables_NameSettableAviaryOptions()
    {
        var names = AllManifests()
            .SelectMany(m => AllContainers(m.Root).SelectMany(c => Items(c, "env")).Select(e => (Where: m.ToString(), Name: Text(e, "name") ?? "")))
            .Where(v => v.Name.StartsWith("Aviary__", StringComparison.Ordinal))
            .ToList();

        var unknown = names
            .Where(v => !NamesASetting(v.Name))
            .Select(v => $"{v.Where}: {v.Name} names no settable property of AviaryOptions, GatewayClusterOptions or AviaryGatewayOptions")
            .ToList();

        Assert.NotEmpty(names);
        AssertNone(unknown);
    }

    // ---- the silo Deployment ----------------------------------------------------------------

    [Theory]
    [InlineData("livenessProbe", LivePath)]
    [InlineData("readinessProbe", ReadyPath)]
    [InlineData("startupProbe", ReadyPath)]
    public void SiloProbe_HitsThePathTheSiloServesForIt(string probe, string path)
    {
        Assert.Equal(path, Text(SiloContainer(), probe, "httpGet", "path"));
    }

    [Theory]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    [InlineData("startupProbe")]
    public void SiloProbe_UsesTheHttpPort(string probe)
    {
        var port = Text(SiloContainer(), probe, "httpGet", "port");

        Assert.Equal(ExpectedPort(nameof(AviaryOptions.HttpPort)), ContainerPort(port));
    }

    [Theory]
    [InlineData("http", nameof(AviaryOptions.HttpPort))]
    [InlineData("silo", nameof(AviaryOptions.SiloPort))]
    [InlineData("gateway", nameof(AviaryOptions.GatewayPort))]
    public void SiloContainerPort_IsTheSiloSetting(string portName, string setting)
    {
        Assert.Equal(ExpectedPort(setting), ContainerPort(portName));
    }

    [Theory]
    [InlineData("orleans/serviceId", "ORLEANS_SERVICE_ID", "Aviary__ServiceId")]
    [InlineData("orleans/clusterId", "ORLEANS_CLUSTER_ID", "Aviary__ClusterId")]
    public void OrleansIdentity_IsReadFromThePodLabelKubernetesHostingLists(string label, string orleansVariable, string aviaryVariable)
    {
        var labels = PodLabels(SiloDeployment());
        var fieldPath = $"metadata.labels['{label}']";

        Assert.True(labels.TryGetValue(label, out var value) && value.Length > 0, $"deploy/kubernetes/base: the silo pods lack the label {label}");
        Assert.Equal(fieldPath, EnvFieldPath(SiloContainer(), orleansVariable));
        Assert.Equal(fieldPath, EnvFieldPath(SiloContainer(), aviaryVariable));
    }

    [Theory]
    [InlineData("POD_NAME", "metadata.name")]
    [InlineData("POD_NAMESPACE", "metadata.namespace")]
    [InlineData("POD_IP", "status.podIP")]
    public void PodIdentity_ComesFromTheDownwardApi(string variable, string fieldPath)
    {
        Assert.Equal(fieldPath, EnvFieldPath(SiloContainer(), variable));
    }

    [Fact]
    public void ConnectionString_ComesFromTheConnectionSecret()
    {
        var found = Env(SiloContainer()).TryGetValue("Aviary__ConnectionString", out var variable);

        Assert.True(found, "deploy/kubernetes/base/deployment.yaml: the silo has no Aviary__ConnectionString");
        Assert.Equal(ConnectionSecret, Text(variable, "valueFrom", "secretKeyRef", "name"));
        Assert.Equal(ConnectionKey, Text(variable, "valueFrom", "secretKeyRef", "key"));
    }

    [Fact]
    public void DataDirectory_IsAWritableVolume()
    {
        var container = SiloContainer();
        var directory = EnvValue(container, "Aviary__DataDirectory");
        var mounts = Items(container, "volumeMounts").Select(v => Text(v, "mountPath")).ToList();

        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.NotNull(directory);
        Assert.Contains(directory, mounts);
        Assert.Contains("/tmp", mounts);
    }

    [Fact]
    public void ShutdownTimeout_EndsWithinTheGracePeriod()
    {
        var grace = int.Parse(Text(SiloDeployment().Root, "spec", "template", "spec", "terminationGracePeriodSeconds") ?? "30", CultureInfo.InvariantCulture);
        // The silo sets its host's stop timeout in code; leave the process 10 s to exit after Orleans has stopped.
        var shutdown = (int)Aviary.Silo.Hosting.AviaryHostBuilderExtensions.ShutdownTimeout.TotalSeconds;

        Assert.True(shutdown + 10 <= grace, $"deploy/kubernetes/base/deployment.yaml: the silo's {shutdown} s shutdown timeout + 10 s exceeds terminationGracePeriodSeconds {grace}");
    }

    [Fact]
    public void PrometheusAnnotations_PointAtTheMetricsEndpoint()
    {
        var annotations = Map(SiloDeployment().Root, "spec", "template", "metadata", "annotations");

        Assert.Equal("true", annotations.GetValueOrDefault("prometheus.io/scrape"));
        Assert.Equal(MetricsPath, annotations.GetValueOrDefault("prometheus.io/path"));
        Assert.Equal(ExpectedPort(nameof(AviaryOptions.HttpPort)).ToString(CultureInfo.InvariantCulture), annotations.GetValueOrDefault("prometheus.io/port"));
    }

    [Fact]
    public void Role_GrantsWhatOrleansKubernetesHostingNeeds()
    {
        var role = BaseResources().Single(m => m.Kind == "Role");
        var granted = Items(role.Root, "rules")
            .Where(r => Strings(r, "apiGroups").Contains("") && Strings(r, "resources").Contains("pods"))
            .SelectMany(r => Strings(r, "verbs"))
            .ToHashSet();

        // Read and label its own pod, list and watch the pods of its cluster (Orleans' KubernetesClusterAgent).
        var missing = new[] { "get", "list", "watch", "patch" }.Except(granted).Select(verb => $"{role}: grants no '{verb}' on pods").ToList();

        AssertNone(missing);
    }

    [Fact]
    public void RoleBinding_BindsTheRoleToTheSilosServiceAccount()
    {
        var objects = BaseResources();
        var account = Text(SiloDeployment().Root, "spec", "template", "spec", "serviceAccountName");
        var role = objects.Single(m => m.Kind == "Role");
        var binding = objects.Single(m => m.Kind == "RoleBinding");
        var subjects = Items(binding.Root, "subjects").Where(s => Text(s, "kind") == "ServiceAccount").Select(s => Text(s, "name")).ToList();

        Assert.Contains(objects, m => m.Kind == "ServiceAccount" && m.Name == account);
        Assert.Equal("Role", Text(binding.Root, "roleRef", "kind"));
        Assert.Equal(role.Name, Text(binding.Root, "roleRef", "name"));
        Assert.Contains(account, subjects);
    }

    [Fact]
    public void DisruptionBudget_AllowsOneSiloDown()
    {
        var budget = BaseResources().Single(m => m.Kind == "PodDisruptionBudget" && m.Name == SiloName);

        Assert.Equal("1", Text(budget.Root, "spec", "maxUnavailable"));
    }

    [Fact]
    public void Workloads_SelectTheirOwnPods()
    {
        var problems = AllManifests()
            .Where(m => m.Kind is "Deployment" or "StatefulSet" && Node(m.Root, "spec", "selector") is not null)
            .Where(m => !Selects(Map(m.Root, "spec", "selector", "matchLabels"), PodLabels(m)))
            .Select(m => $"{m}: spec.selector.matchLabels do not match spec.template.metadata.labels")
            .ToList();

        AssertNone(problems);
    }

    // ---- the gateway Deployment -------------------------------------------------------------

    [Theory]
    [InlineData("livenessProbe", GatewayLivePath)]
    [InlineData("readinessProbe", GatewayReadyPath)]
    [InlineData("startupProbe", GatewayLivePath)]
    public void GatewayProbe_HitsTheAdminPathTheGatewayServesForIt(string probe, string path)
    {
        Assert.Equal(path, Text(GatewayContainer(), probe, "httpGet", "path"));
    }

    [Theory]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    [InlineData("startupProbe")]
    public void GatewayProbe_UsesTheTrafficPort(string probe)
    {
        var port = Text(GatewayContainer(), probe, "httpGet", "port");

        Assert.Equal(ExpectedGatewayPort(), ContainerPort(GatewayDeployment(), port));
    }

    [Fact]
    public void GatewayContainerPort_IsTheGatewaySetting()
    {
        // One port: the gateway serves traffic and its own endpoints on Aviary:Gateway:Port.
        Assert.Equal(new[] { ExpectedGatewayPort() }, ContainerPorts(GatewayDeployment()).Values);
    }

    [Fact]
    public void TrafficService_TargetsTheGatewayPortByName()
    {
        var service = BaseResources().Single(m => m.Kind == "Service" && m.Name == TrafficServiceName);

        var target = Assert.Single(Items(service.Root, "spec", "ports").Select(p => Text(p, "targetPort") ?? "").ToList());
        Assert.False(int.TryParse(target, CultureInfo.InvariantCulture, out _), $"{service}: targetPort {target} is a number; name the container port instead");
        Assert.Equal(ExpectedGatewayPort(), ContainerPort(GatewayDeployment(), target));
    }

    [Fact]
    public void TrafficService_SelectsTheGatewayPodsAndNotTheSilos()
    {
        var service = BaseResources().Single(m => m.Kind == "Service" && m.Name == TrafficServiceName);
        var selector = Map(service.Root, "spec", "selector");

        Assert.True(Selects(selector, PodLabels(GatewayDeployment())), $"{service}: spec.selector does not select the gateway pods");
        Assert.False(Selects(selector, PodLabels(SiloDeployment())), $"{service}: spec.selector selects the silo pods");
    }

    [Fact]
    public void GatewayAutoscaler_ScalesTheGatewayDeploymentOnCpu()
    {
        var autoscaler = BaseResources().Single(m => m.Kind == "HorizontalPodAutoscaler" && m.Name == GatewayName);
        var resources = Items(autoscaler.Root, "spec", "metrics").Where(m => Text(m, "type") == "Resource").Select(m => Text(m, "resource", "name")).ToList();

        Assert.Equal("autoscaling/v2", Text(autoscaler.Root, "apiVersion"));
        Assert.Equal("apps/v1", Text(autoscaler.Root, "spec", "scaleTargetRef", "apiVersion"));
        Assert.Equal("Deployment", Text(autoscaler.Root, "spec", "scaleTargetRef", "kind"));
        Assert.Equal(GatewayName, Text(autoscaler.Root, "spec", "scaleTargetRef", "name"));
        Assert.Contains("cpu", resources);
        // CPU utilization is a share of the request: without one the autoscaler has nothing to compute.
        Assert.NotNull(Text(GatewayContainer(), "resources", "requests", "cpu"));
    }

    [Fact]
    public void GatewayDeployment_LeavesTheReplicaCountToTheAutoscaler()
    {
        // A replicas field, in the base or in an overlay's patch, would reset the autoscaler's count at every apply.
        var setters = KustomizationDirs().SelectMany(PatchFiles).SelectMany(Load).Append(GatewayDeployment())
            .Where(m => m.Kind == "Deployment" && m.Name == GatewayName && Node(m.Root, "spec", "replicas") is not null)
            .Select(m => $"{m}: sets spec.replicas; set the HorizontalPodAutoscaler's minReplicas and maxReplicas instead")
            .ToList();

        AssertNone(setters);
    }

    [Fact]
    public void GatewayEnvironmentVariables_NameGatewaySettings()
    {
        var names = Items(GatewayContainer(), "env").Select(e => Text(e, "name") ?? "").Where(n => n.StartsWith("Aviary__", StringComparison.Ordinal)).ToList();

        // Stricter than AviaryEnvironmentVariables_NameSettableAviaryOptions: a silo-only setting does nothing here.
        var unknown = names
            .Where(n => !NamesAGatewaySetting(n))
            .Select(n => $"{GatewayDeployment()}: {n} names no settable property of GatewayClusterOptions or AviaryGatewayOptions")
            .ToList();

        Assert.NotEmpty(names);
        AssertNone(unknown);
    }

    [Fact]
    public void GatewayConnectionString_ComesFromTheSilosSecretAndKey()
    {
        var found = Env(GatewayContainer()).TryGetValue("Aviary__ConnectionString", out var variable);
        var silo = Env(SiloContainer())["Aviary__ConnectionString"];

        Assert.True(found, "deploy/kubernetes/base/gateway-deployment.yaml: the gateway has no Aviary__ConnectionString");
        Assert.Equal("cluster", EnvValue(GatewayContainer(), "Aviary__Profile"));
        Assert.Equal(Text(silo, "valueFrom", "secretKeyRef", "name"), Text(variable, "valueFrom", "secretKeyRef", "name"));
        Assert.Equal(Text(silo, "valueFrom", "secretKeyRef", "key"), Text(variable, "valueFrom", "secretKeyRef", "key"));
    }

    [Theory]
    [InlineData("orleans/serviceId", nameof(GatewayClusterOptions.ServiceId))]
    [InlineData("orleans/clusterId", nameof(GatewayClusterOptions.ClusterId))]
    public void GatewayClusterIdentity_IsTheSilosPodLabel(string label, string setting)
    {
        // The gateway finds the silos in the membership table under their ServiceId and ClusterId.
        var value = EnvValue(GatewayContainer(), $"Aviary__{setting}")
            ?? (string?)typeof(GatewayClusterOptions).GetProperty(setting)!.GetValue(GatewayClusterDefaults);

        Assert.Equal(PodLabels(SiloDeployment()).GetValueOrDefault(label), value);
    }

    [Fact]
    public void GatewayPods_CarryNoOrleansLabels()
    {
        // Orleans' Kubernetes hosting in the silos takes the pods with these labels for silos of the cluster.
        Assert.DoesNotContain(PodLabels(GatewayDeployment()).Keys, k => k.StartsWith("orleans/", StringComparison.Ordinal));
    }

    [Fact]
    public void GatewayPrometheusAnnotations_PointAtTheAdminMetricsEndpoint()
    {
        var annotations = Map(GatewayDeployment().Root, "spec", "template", "metadata", "annotations");

        Assert.Equal("true", annotations.GetValueOrDefault("prometheus.io/scrape"));
        Assert.Equal(GatewayMetricsPath, annotations.GetValueOrDefault("prometheus.io/path"));
        Assert.Equal(ExpectedGatewayPort().ToString(CultureInfo.InvariantCulture), annotations.GetValueOrDefault("prometheus.io/port"));
    }

    [Fact]
    public void GatewaySecurityContext_IsTheSilos()
    {
        var silo = SiloDeployment().Root;
        var pods = GatewayDeployment().Root;
        var gateway = GatewayContainer();

        Assert.Equal(Map(silo, "spec", "template", "spec", "securityContext"), Map(pods, "spec", "template", "spec", "securityContext"));
        Assert.Equal(Text(silo, "spec", "template", "spec", "securityContext", "seccompProfile", "type"), Text(pods, "spec", "template", "spec", "securityContext", "seccompProfile", "type"));
        Assert.Equal(Map(SiloContainer(), "securityContext"), Map(gateway, "securityContext"));
        Assert.Equal(Strings(SiloContainer(), "securityContext", "capabilities", "drop"), Strings(gateway, "securityContext", "capabilities", "drop"));
        // A read-only root file system: .NET still needs a writable /tmp.
        Assert.Contains("/tmp", Items(gateway, "volumeMounts").Select(v => Text(v, "mountPath")).ToList());
    }

    // ---- per overlay ------------------------------------------------------------------------

    [Theory, MemberData(nameof(Overlays))]
    public void Objects_HaveDistinctKindsAndNames(string overlay)
    {
        // kustomize refuses to build two objects of one kind and name.
        var duplicates = Resources(Path.Combine(KubernetesDir, "overlays", overlay))
            .GroupBy(m => (m.Kind, m.Name))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Kind} {g.Key.Name}: defined in {string.Join(", ", g.Select(m => m.Source))}")
            .ToList();

        AssertNone(duplicates);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Selectors_SelectThePodsOfOneWorkload(string overlay)
    {
        var objects = Resources(Path.Combine(KubernetesDir, "overlays", overlay));
        var problems = new List<string>();
        foreach (var (where, selector) in Selectors(objects))
        {
            var selected = Workloads(objects).Where(w => Selects(selector, PodLabels(w))).Select(w => w.Name).ToList();
            if (selected.Count != 1)
                problems.Add($"{where} selects the pods of [{string.Join(", ", selected)}]");
        }

        AssertNone(problems);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Services_SelectExactlyOneWorkload(string overlay)
    {
        var objects = Resources(Path.Combine(KubernetesDir, "overlays", overlay));
        var problems = new List<string>();
        foreach (var service in objects.Where(m => m.Kind == "Service"))
        {
            var selected = Workloads(objects).Where(w => Selects(Map(service.Root, "spec", "selector"), PodLabels(w))).Select(w => w.Name).ToList();
            if (selected.Count != 1)
                problems.Add($"{service}: spec.selector selects [{string.Join(", ", selected)}]");
        }

        Assert.NotEmpty(objects.Where(m => m.Kind == "Service").Select(m => m.Name).ToList());
        AssertNone(problems);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void ServiceTargetPorts_AreContainerPortsOfTheSelectedPods(string overlay)
    {
        var objects = Resources(Path.Combine(KubernetesDir, "overlays", overlay));
        var problems = new List<string>();
        foreach (var service in objects.Where(m => m.Kind == "Service"))
        {
            var selected = Workloads(objects).Where(w => Selects(Map(service.Root, "spec", "selector"), PodLabels(w))).ToList();
            if (selected.Count != 1)
                continue; // Services_SelectExactlyOneWorkload reports it
            var ports = ContainerPorts(selected[0]);
            foreach (var port in Items(service.Root, "spec", "ports"))
            {
                var target = Text(port, "targetPort") ?? Text(port, "port") ?? "";
                var exists = int.TryParse(target, CultureInfo.InvariantCulture, out var number) ? ports.ContainsValue(number) : ports.ContainsKey(target);
                if (!exists)
                    problems.Add($"{service}: spec.ports[{Text(port, "name")}].targetPort '{target}' is not a container port of {selected[0].Kind} {selected[0].Name}");
            }
        }

        AssertNone(problems);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void DisruptionBudgets_SelectTheWorkloadOfTheirNameOnly(string overlay)
    {
        var objects = Resources(Path.Combine(KubernetesDir, "overlays", overlay));
        var budgets = objects.Where(m => m.Kind == "PodDisruptionBudget").ToList();
        var problems = new List<string>();
        foreach (var budget in budgets)
        {
            var selected = Workloads(objects).Where(w => Selects(Map(budget.Root, "spec", "selector", "matchLabels"), PodLabels(w))).Select(w => w.Name).ToList();
            if (selected.Count != 1 || selected[0] != budget.Name)
                problems.Add($"{budget}: selects [{string.Join(", ", selected)}], not {budget.Name} alone");
        }

        Assert.Equal(new[] { GatewayName, SiloName }, budgets.Select(b => b.Name).Order(StringComparer.Ordinal));
        AssertNone(problems);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void ShippedSecrets_HoldTheKeysTheirReadersAskFor(string overlay)
    {
        var objects = Resources(Path.Combine(KubernetesDir, "overlays", overlay));
        var secrets = objects.Where(m => m.Kind == "Secret").ToDictionary(m => m.Name, m => SecretData(m).Keys.ToHashSet());
        var problems = new List<string>();
        foreach (var workload in Workloads(objects))
        {
            foreach (var variable in AllContainers(workload.Root).SelectMany(c => Items(c, "env")))
            {
                var name = Text(variable, "valueFrom", "secretKeyRef", "name");
                var key = Text(variable, "valueFrom", "secretKeyRef", "key");
                if (name is not null && secrets.TryGetValue(name, out var keys) && (key is null || !keys.Contains(key)))
                    problems.Add($"{workload}: env {Text(variable, "name")} reads key '{key}' of Secret {name}, which has [{string.Join(", ", keys)}]");
            }
        }

        AssertNone(problems);
    }

    [Fact]
    public void DevOverlay_ShipsTheConnectionSecret()
    {
        var secret = Resources(Path.Combine(KubernetesDir, "overlays", "dev")).Single(m => m.Kind == "Secret" && m.Name == ConnectionSecret);

        Assert.Contains(ConnectionKey, SecretData(secret).Keys);
    }

    [Fact]
    public void ProductionOverlay_ShipsNoSecrets()
    {
        var secrets = Resources(Path.Combine(KubernetesDir, "overlays", "production")).Where(m => m.Kind == "Secret").Select(m => m.ToString()).ToList();

        AssertNone(secrets);
    }

    [Fact]
    public void DevConnectionString_PointsAtTheInClusterPostgres()
    {
        var objects = Resources(Path.Combine(KubernetesDir, "overlays", "dev"));
        var connection = new DbConnectionStringBuilder { ConnectionString = SecretData(objects.Single(m => m.Kind == "Secret" && m.Name == ConnectionSecret))[ConnectionKey] };
        var postgres = objects.Single(m => m.Kind == "StatefulSet");
        var authSecret = AllContainers(postgres.Root).SelectMany(c => Items(c, "envFrom")).Select(e => Text(e, "secretRef", "name")).Single();
        var auth = SecretData(objects.Single(m => m.Kind == "Secret" && m.Name == authSecret));
        var service = objects.SingleOrDefault(m => m.Kind == "Service" && m.Name == Part(connection, "Host"));

        Assert.NotNull(service);
        Assert.Contains(Part(connection, "Port"), Items(service.Root, "spec", "ports").Select(p => Text(p, "port")).ToList());
        Assert.Equal(auth["POSTGRES_USER"], Part(connection, "Username"));
        Assert.Equal(auth["POSTGRES_PASSWORD"], Part(connection, "Password"));
        Assert.Equal(auth["POSTGRES_DB"], Part(connection, "Database"));
    }

    // ---- Prometheus -------------------------------------------------------------------------

    [Fact]
    public void PrometheusConfig_ScrapesTheLocalSiloOnItsHttpPort()
    {
        var targets = PrometheusJobs()
            .SelectMany(job => Items(job, "static_configs"))
            .SelectMany(c => Strings(c, "targets"))
            .ToList();

        Assert.Contains($"localhost:{Defaults.HttpPort}", targets);
    }

    [Fact]
    public void PrometheusConfig_KeepsTheSilosHttpContainerPort()
    {
        var kept = PrometheusJobs()
            .SelectMany(job => Items(job, "relabel_configs"))
            .Where(r => Text(r, "action") == "keep" && Strings(r, "source_labels").Contains("__meta_kubernetes_pod_container_port_name"))
            .Select(r => Text(r, "regex") ?? "")
            .ToList();
        var httpPortName = ContainerPorts(SiloDeployment()).Single(p => p.Value == ExpectedPort(nameof(AviaryOptions.HttpPort))).Key;

        Assert.Equal(new[] { httpPortName }, kept);
    }

    // ---- the silo Deployment's facts --------------------------------------------------------

    private static Manifest SiloDeployment() => BaseResources().Single(m => m.Kind == "Deployment" && m.Name == SiloName);

    private static YamlMappingNode SiloContainer() =>
        Items(SiloDeployment().Root, "spec", "template", "spec", "containers").Single(c => Text(c, "name") == SiloContainerName);

    /// <summary>The port a setting takes in the silo container: its Aviary__ value if set, else the AviaryOptions default.</summary>
    private static int ExpectedPort(string setting)
    {
        var value = EnvValue(SiloContainer(), $"Aviary__{setting}");
        return value is null
            ? (int)typeof(AviaryOptions).GetProperty(setting)!.GetValue(Defaults)!
            : int.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The number of a silo container port given by name (or by number).</summary>
    private static int? ContainerPort(string? nameOrNumber) => ContainerPort(SiloDeployment(), nameOrNumber);

    /// <summary>The number of a workload's container port given by name (or by number).</summary>
    private static int? ContainerPort(Manifest workload, string? nameOrNumber)
    {
        if (int.TryParse(nameOrNumber, CultureInfo.InvariantCulture, out var number))
            return number;
        return ContainerPorts(workload).TryGetValue(nameOrNumber ?? "", out var port) ? port : null;
    }

    // ---- the gateway Deployment's facts -----------------------------------------------------

    private static Manifest GatewayDeployment() => BaseResources().Single(m => m.Kind == "Deployment" && m.Name == GatewayName);

    private static YamlMappingNode GatewayContainer() =>
        Items(GatewayDeployment().Root, "spec", "template", "spec", "containers").Single(c => Text(c, "name") == GatewayContainerName);

    /// <summary>The port the gateway takes traffic on: its Aviary__Gateway__Port if set, else the AviaryGatewayOptions default.</summary>
    private static int ExpectedGatewayPort() =>
        EnvValue(GatewayContainer(), $"Aviary__Gateway__{nameof(AviaryGatewayOptions.Port)}") is { } value
            ? int.Parse(value, CultureInfo.InvariantCulture)
            : GatewayDefaults.Port;

    // ---- Kubernetes objects -----------------------------------------------------------------

    private sealed record Manifest(string Source, YamlMappingNode Root)
    {
        public string Kind => Text(Root, "kind") ?? "";

        public string Name => Text(Root, "metadata", "name") ?? "";

        public override string ToString() => $"{Source}: {Kind} {Name}";
    }

    private static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(KubernetesDir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal);

    private static IEnumerable<Manifest> AllManifests() => YamlFiles().SelectMany(Load);

    private static List<Manifest> Load(string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"{Relative(file)}: not valid YAML: {ex.Message}", ex);
        }
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Select(root => new Manifest(Relative(file), root))];
    }

    private static IEnumerable<string> KustomizationDirs() =>
        YamlFiles().Where(f => Path.GetFileName(f) == "kustomization.yaml").Select(f => Path.GetDirectoryName(f)!);

    private static YamlMappingNode Kustomization(string dir) => Load(Path.Combine(dir, "kustomization.yaml")).Single().Root;

    private static IEnumerable<string> PatchFiles(string dir) =>
        Items(Kustomization(dir), "patches").Select(p => Text(p, "path")).OfType<string>().Select(p => Path.GetFullPath(Path.Combine(dir, p)));

    /// <summary>The objects a kustomization builds from its resources, recursively (patches and transformers not applied).</summary>
    private static List<Manifest> Resources(string dir)
    {
        var objects = new List<Manifest>();
        foreach (var entry in Strings(Kustomization(dir), "resources"))
        {
            var path = Path.GetFullPath(Path.Combine(dir, entry));
            objects.AddRange(Directory.Exists(path) ? Resources(path) : Load(path));
        }
        return objects;
    }

    private static List<Manifest> BaseResources() => Resources(Path.Combine(KubernetesDir, "base"));

    private static IEnumerable<Manifest> Workloads(IEnumerable<Manifest> objects) => objects.Where(m => m.Kind is "Deployment" or "StatefulSet");

    /// <summary>Every pod selector among the objects: Services, workloads and their topology spread, disruption budgets.</summary>
    private static IEnumerable<(string Where, Dictionary<string, string> Selector)> Selectors(IEnumerable<Manifest> objects)
    {
        foreach (var m in objects)
        {
            if (m.Kind == "Service")
                yield return ($"{m}: spec.selector", Map(m.Root, "spec", "selector"));
            else if (m.Kind is "Deployment" or "StatefulSet" or "PodDisruptionBudget")
                yield return ($"{m}: spec.selector", Map(m.Root, "spec", "selector", "matchLabels"));
            foreach (var spread in Items(m.Root, "spec", "template", "spec", "topologySpreadConstraints"))
                yield return ($"{m}: topologySpreadConstraints", Map(spread, "labelSelector", "matchLabels"));
        }
    }

    private static IEnumerable<YamlMappingNode> AllContainers(YamlNode workload) =>
        Items(workload, "spec", "template", "spec", "containers").Concat(Items(workload, "spec", "template", "spec", "initContainers"));

    private static Dictionary<string, string> PodLabels(Manifest workload) => Map(workload.Root, "spec", "template", "metadata", "labels");

    /// <summary>Named ports of the (non-init) containers: name → containerPort.</summary>
    private static Dictionary<string, int> ContainerPorts(Manifest workload) =>
        Items(workload.Root, "spec", "template", "spec", "containers")
            .SelectMany(c => Items(c, "ports"))
            .ToDictionary(p => Text(p, "name") ?? "", p => int.Parse(Text(p, "containerPort") ?? "0", CultureInfo.InvariantCulture));

    private static bool Selects(Dictionary<string, string> selector, Dictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        Items(container, "env").ToDictionary(e => Text(e, "name") ?? "", e => e);

    private static string? EnvValue(YamlMappingNode container, string name) =>
        Env(container).TryGetValue(name, out var variable) ? Text(variable, "value") : null;

    private static string? EnvFieldPath(YamlMappingNode container, string name) =>
        Env(container).TryGetValue(name, out var variable) ? Text(variable, "valueFrom", "fieldRef", "fieldPath") : null;

    private static Dictionary<string, string> SecretData(Manifest secret)
    {
        var data = Map(secret.Root, "stringData");
        foreach (var (key, value) in Map(secret.Root, "data"))
            data[key] = Encoding.UTF8.GetString(Convert.FromBase64String(value));
        return data;
    }

    private static string Part(DbConnectionStringBuilder connection, string key) =>
        connection.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "";

    private static IEnumerable<YamlMappingNode> PrometheusJobs()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(InRepo("deploy/prometheus/prometheus.yml")))
            stream.Load(reader);
        return Items(stream.Documents.Single().RootNode, "scrape_configs");
    }

    // ---- YAML navigation --------------------------------------------------------------------

    private static YamlNode? Node(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
                return null;
        }
        return node;
    }

    private static string? Text(YamlNode? node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlMappingNode> Items(YamlNode? node, params string[] path) =>
        Node(node, path) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];

    private static List<string> Strings(YamlNode? node, params string[] path) =>
        Node(node, path) is YamlSequenceNode sequence ? [.. sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")] : [];

    private static Dictionary<string, string> Map(YamlNode? node, params string[] path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Node(node, path) is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
                result[(key as YamlScalarNode)?.Value ?? ""] = (value as YamlScalarNode)?.Value ?? "";
        }
        return result;
    }
}
