using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aviary.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Aviary.Workflows;

/// <summary>
/// Reads a plan from YAML or JSON (by extension; YAML otherwise). Field names are camelCase,
/// durations read like <c>30s</c> or <c>5m</c>. A file that does not parse, or a plan that does
/// not validate, is an <see cref="AviaryValidationException"/> naming the field.
/// </summary>
public static class PlanFile
{
    public static WorkflowPlan Load(string path)
    {
        if (!File.Exists(path))
            throw new AviaryValidationException("file", $"'{path}' does not exist");
        var text = File.ReadAllText(path);
        var isJson = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase);
        var plan = Parse(text, isJson, Path.GetFileNameWithoutExtension(path));
        return PlanValidator.Validate(plan);
    }

    /// <summary>The plan with <c>${input}</c> in its tasks' inputs replaced by <paramref name="input"/> (unchanged when null).</summary>
    public static WorkflowPlan WithInput(WorkflowPlan plan, string? input) => input is null
        ? plan
        : plan with
        {
            Tasks = plan.Tasks.Select(t => t with { Input = t.Input.ToDictionary(kv => kv.Key, kv => kv.Value.Replace("${input}", input, StringComparison.Ordinal)) }).ToArray(),
        };

    /// <summary>Deepest nesting a YAML plan may have (a plan needs four or five levels).</summary>
    public const int MaxYamlDepth = 32;

    /// <summary>Aliases a YAML plan may use (anchors for a shared retry policy, say).</summary>
    public const int MaxYamlAliases = 100;

    /// <summary>
    /// Reads a YAML plan's events once, without building anything, and refuses what would make the
    /// deserializer recurse too deep (thousands of nested brackets) or expand a few lines into
    /// millions of nodes (aliases of aliases: a "billion laughs"). The parser is iterative, so this
    /// is safe on any input up to the body limit.
    /// </summary>
    public static string CheckShape(string text)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0, aliases = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxYamlDepth)
                        throw new AviaryValidationException("file", $"is nested more than {MaxYamlDepth} levels deep");
                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
                case YamlDotNet.Core.Events.AnchorAlias:
                    if (++aliases > MaxYamlAliases)
                        throw new AviaryValidationException("file", $"uses more than {MaxYamlAliases} aliases (*name)");
                    break;
            }
        }
        return text;
    }

    /// <summary>A task's timeout when its plan gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static WorkflowPlan Parse(string text, bool json, string defaultName)
    {
        PlanDocument? document;
        try
        {
            document = json
                ? JsonSerializer.Deserialize<PlanDocument>(text, new JsonSerializerOptions(JsonSerializerDefaults.Web)
                {
                    AllowTrailingCommas = true,
                    ReadCommentHandling = JsonCommentHandling.Skip,
                    // A misspelt field ("depends_on", "retries") is an error, as in YAML plans, not silently lost.
                    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
                })
                : new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<PlanDocument>(CheckShape(text));
        }
        catch (JsonException ex)
        {
            throw new AviaryValidationException("file", $"is not valid JSON: {ex.Message}");
        }
        catch (YamlException ex)
        {
            throw new AviaryValidationException("file", $"is not a valid plan (line {ex.Start.Line}, column {ex.Start.Column}): {ex.InnerException?.Message ?? ex.Message}");
        }
        if (document?.Tasks is null)
            throw new AviaryValidationException("tasks", "must list at least one task");

        var tasks = new TaskSpec[document.Tasks.Count];
        for (var i = 0; i < tasks.Length; i++)
            tasks[i] = ToSpec(document.Tasks[i], $"tasks[{i}]");
        return new WorkflowPlan { Name = string.IsNullOrWhiteSpace(document.Name) ? defaultName : document.Name, Tasks = tasks };
    }

    private static TaskSpec ToSpec(TaskDocument? t, string at)
    {
        if (t is null)
            throw new AviaryValidationException(at, "must be a task");
        var retry = RetryPolicy.Default;
        if (t.Retry is { } r)
        {
            retry = new RetryPolicy
            {
                MaxAttempts = r.MaxAttempts ?? retry.MaxAttempts,
                InitialInterval = r.InitialInterval is null ? retry.InitialInterval : Durations.Parse($"{at}.retry.initialInterval", r.InitialInterval),
                BackoffCoefficient = r.BackoffCoefficient ?? retry.BackoffCoefficient,
                MaxInterval = r.MaxInterval is null ? retry.MaxInterval : Durations.Parse($"{at}.retry.maxInterval", r.MaxInterval),
                NonRetryableErrors = r.NonRetryableErrors?.ToArray() ?? [],
            };
        }
        return new TaskSpec
        {
            Id = t.Id ?? "",
            Agent = t.Agent ?? "",
            Input = t.Input?.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? "") ?? [],
            DependsOn = t.DependsOn?.ToArray() ?? [],
            Priority = ParsePriority($"{at}.priority", t.Priority),
            Retry = retry,
            Timeout = t.Timeout is null ? DefaultTimeout : Durations.Parse($"{at}.timeout", t.Timeout),
            Estimate = t.Estimate is null ? null : Durations.Parse($"{at}.estimate", t.Estimate),
        };
    }

    /// <summary>The plan as YAML that <see cref="Parse"/> reads back to the same plan (defaults left out): how the console sends a plan to the API.</summary>
    public static string ToYaml(WorkflowPlan plan)
    {
        var document = new PlanDocument
        {
            Name = plan.Name,
            Tasks = plan.Tasks.Select(t => (TaskDocument?)new TaskDocument
            {
                Id = t.Id,
                Agent = t.Agent,
                Input = t.Input.Count == 0 ? null : t.Input.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
                DependsOn = t.DependsOn.Length == 0 ? null : [.. t.DependsOn],
                Priority = t.Priority == TaskPriority.Normal ? null : t.Priority.ToString().ToLowerInvariant(),
                Retry = t.Retry == RetryPolicy.Default ? null : new RetryDocument
                {
                    MaxAttempts = t.Retry.MaxAttempts,
                    InitialInterval = Exact(t.Retry.InitialInterval),
                    BackoffCoefficient = t.Retry.BackoffCoefficient,
                    MaxInterval = Exact(t.Retry.MaxInterval),
                    NonRetryableErrors = t.Retry.NonRetryableErrors.Length == 0 ? null : [.. t.Retry.NonRetryableErrors],
                },
                Timeout = t.Timeout == DefaultTimeout ? null : Exact(t.Timeout),
                Estimate = t.Estimate is { } e ? Exact(e) : null,
            }).ToList(),
        };
        return new SerializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .Build()
            .Serialize(document);
    }

    /// <summary>A duration <see cref="Durations.Parse"/> reads back exactly (milliseconds when it has a fraction of a second).</summary>
    private static string Exact(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0 ? Durations.Format(value) : $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";

    private static TaskPriority ParsePriority(string field, string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "normal" => TaskPriority.Normal,
        "high" => TaskPriority.High,
        "low" => TaskPriority.Low,
        _ => throw new AviaryValidationException(field, $"must be high, normal or low (got '{text}')"),
    };

    private sealed class PlanDocument
    {
        public string? Name { get; set; }
        public List<TaskDocument?>? Tasks { get; set; }
    }

    private sealed class TaskDocument
    {
        public string? Id { get; set; }
        public string? Agent { get; set; }
        public Dictionary<string, object?>? Input { get; set; }
        public List<string>? DependsOn { get; set; }
        public string? Priority { get; set; }
        public RetryDocument? Retry { get; set; }
        public string? Timeout { get; set; }
        public string? Estimate { get; set; }
    }

    private sealed class RetryDocument
    {
        public int? MaxAttempts { get; set; }
        public string? InitialInterval { get; set; }
        public double? BackoffCoefficient { get; set; }
        public string? MaxInterval { get; set; }
        public List<string>? NonRetryableErrors { get; set; }
    }
}
