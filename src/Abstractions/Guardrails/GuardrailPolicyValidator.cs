using Aviary.Errors;
using Cronos;

namespace Aviary.Guardrails;

/// <summary>Checks a guardrail policy; the first broken rule is an <see cref="AviaryValidationException"/> naming the field by its JSON path.</summary>
public static class GuardrailPolicyValidator
{
    public const int MaxReasonLength = 500;
    public static readonly TimeSpan MaxRecurringDuration = TimeSpan.FromDays(31);
    public static readonly TimeSpan MaxOneOffSpan = TimeSpan.FromDays(366);
    public const int MaxActiveLimit = 100_000;

    public static GuardrailPolicy Validate(GuardrailPolicy? policy)
    {
        if (policy is null)
            throw new AviaryValidationException("body", "must be a guardrail policy (freezes, maxActiveRollouts, groups, approvals)");
        if (policy.Freezes is null || policy.Groups is null || policy.Approvals is null)
            throw new AviaryValidationException("body", "freezes, groups and approvals must be arrays when given");
        if (policy.Freezes.Length > GuardrailPolicy.MaxFreezes)
            throw new AviaryValidationException("freezes", $"at most {GuardrailPolicy.MaxFreezes} windows");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.Freezes.Length; i++)
        {
            var window = policy.Freezes[i] ?? throw new AviaryValidationException($"freezes[{i}]", "must be an object");
            Identifiers.ValidateName(window.Name, $"freezes[{i}].name");
            if (!names.Add(window.Name))
                throw new AviaryValidationException($"freezes[{i}].name", $"'{window.Name}' is named twice");
            ValidateFreeze(window, $"freezes[{i}]");
        }
        if (policy.MaxActiveRollouts is < 0 or > MaxActiveLimit)
            throw new AviaryValidationException("maxActiveRollouts", $"must be between 0 (no limit) and {MaxActiveLimit}");
        if (policy.Groups.Length > GuardrailPolicy.MaxGroups)
            throw new AviaryValidationException("groups", $"at most {GuardrailPolicy.MaxGroups} groups");
        names.Clear();
        for (var i = 0; i < policy.Groups.Length; i++)
        {
            var group = policy.Groups[i] ?? throw new AviaryValidationException($"groups[{i}]", "must be an object");
            Identifiers.ValidateName(group.Name, $"groups[{i}].name");
            if (!names.Add(group.Name))
                throw new AviaryValidationException($"groups[{i}].name", $"'{group.Name}' is named twice");
            if (group.MaxActive is < 1 or > MaxActiveLimit)
                throw new AviaryValidationException($"groups[{i}].maxActive", $"must be between 1 and {MaxActiveLimit}");
            if (group.Services is null || group.Services.Length is 0 or > ServiceGroup.MaxServices)
                throw new AviaryValidationException($"groups[{i}].services", $"must name 1 to {ServiceGroup.MaxServices} services");
            for (var s = 0; s < group.Services.Length; s++)
                Identifiers.ValidateService(group.Services[s], $"groups[{i}].services[{s}]");
            if (group.Services.Distinct(StringComparer.Ordinal).Count() != group.Services.Length)
                throw new AviaryValidationException($"groups[{i}].services", "names a service twice");
        }
        if (policy.Approvals.Length > GuardrailPolicy.MaxApprovalRules)
            throw new AviaryValidationException("approvals", $"at most {GuardrailPolicy.MaxApprovalRules} rules");
        names.Clear();
        for (var i = 0; i < policy.Approvals.Length; i++)
        {
            var rule = policy.Approvals[i] ?? throw new AviaryValidationException($"approvals[{i}]", "must be an object");
            Identifiers.ValidateService(rule.Service, $"approvals[{i}].service");
            if (!names.Add(rule.Service))
                throw new AviaryValidationException($"approvals[{i}].service", $"'{rule.Service}' has two rules");
            if (rule.Required is < 1 or > ApprovalRule.MaxRequired)
                throw new AviaryValidationException($"approvals[{i}].required", $"must be between 1 and {ApprovalRule.MaxRequired}");
        }
        return policy;
    }

    private static void ValidateFreeze(FreezeWindow window, string field)
    {
        if ((window.Reason ?? "").Length > MaxReasonLength)
            throw new AviaryValidationException($"{field}.reason", $"must be at most {MaxReasonLength} characters");
        if ((window.Reason ?? "").Any(char.IsControl))
            throw new AviaryValidationException($"{field}.reason", "must not contain control characters");
        if (window.IsRecurring)
        {
            if (window.From is not null || window.Until is not null)
                throw new AviaryValidationException($"{field}.from", "a recurring window (cron) has a duration, not from/until");
            try
            {
                CronExpression.Parse(window.Cron!, CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                throw new AviaryValidationException($"{field}.cron", $"must be five cron fields (minute hour day-of-month month day-of-week): {ex.Message}");
            }
            if (window.Duration is not { } duration || duration < TimeSpan.FromMinutes(1) || duration > MaxRecurringDuration)
                throw new AviaryValidationException($"{field}.duration", "is required with cron, between 1 minute and 31 days");
            try
            {
                FreezeCalendar.Zone(window.TimeZone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new AviaryValidationException($"{field}.timeZone", $"'{window.TimeZone}' is not a known time zone (an IANA name such as Europe/Berlin)");
            }
            return;
        }
        if (window.Duration is not null || window.TimeZone is not null)
            throw new AviaryValidationException($"{field}.cron", "duration and timeZone need a cron expression; a one-off window has from and until");
        if (window.From is not { } from || window.Until is not { } until)
            throw new AviaryValidationException($"{field}.from", "a window needs either cron + duration, or from + until");
        if (until <= from)
            throw new AviaryValidationException($"{field}.until", "must be after from");
        if (until - from > MaxOneOffSpan)
            throw new AviaryValidationException($"{field}.until", "a one-off window lasts at most 366 days");
    }
}
