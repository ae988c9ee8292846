using System.Globalization;
using Aviary.Errors;

namespace Aviary.Gateway;

/// <summary>Which HTTP statuses count as a version's errors, parsed once from <see cref="AviaryGatewayOptions.ErrorStatuses"/> into a table the hot path indexes.</summary>
public sealed class ErrorStatuses
{
    private readonly bool[] _error = new bool[600];

    private ErrorStatuses()
    {
    }

    public bool IsError(int status) => (uint)status >= (uint)_error.Length || _error[status];

    public static ErrorStatuses Parse(string? text, string field = "error-statuses")
    {
        var result = new ErrorStatuses();
        if (string.IsNullOrWhiteSpace(text))
            throw new AviaryValidationException(field, "must list status classes such as 5xx or codes such as 429");
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length == 3 && part[0] is >= '1' and <= '5' && part.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
            {
                var start = (part[0] - '0') * 100;
                Array.Fill(result._error, true, start, 100);
            }
            else if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                result._error[code] = true;
            }
            else
            {
                throw new AviaryValidationException(field, $"'{part}' is neither a status class (1xx–5xx) nor a status code (100–599)");
            }
        }
        return result;
    }
}
