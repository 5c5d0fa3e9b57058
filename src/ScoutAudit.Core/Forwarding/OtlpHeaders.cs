using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// Request headers checked before anything is sent. A name is an RFC 9110 token (letters, digits and
/// <c>!#$%&amp;'*+-.^_`|~</c>); a value is visible ASCII, spaces and tabs: a CR or LF would end the
/// header and start another (header injection), a NUL or another control character is refused by
/// servers or cut short, and a character outside ASCII is refused by .NET only when the request is
/// made, which would be retried without end. So each is refused once, before the first request, with
/// the header named and its value never shown: a header's value is usually a secret.
/// </summary>
public static class OtlpHeaders
{
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    /// <summary>Throws when <paramref name="name"/> or <paramref name="value"/> cannot be sent as given.</summary>
    /// <param name="name">The header's name.</param>
    /// <param name="value">Its value, never shown.</param>
    /// <param name="source">Where the header came from, for the message (<c>-Header</c>, <c>$env:OTEL_EXPORTER_OTLP_HEADERS</c>).</param>
    /// <exception cref="ArgumentException">The name is not a token, or the value holds a control or non-ASCII character.</exception>
    public static void Check(string name, string value, string source = "the headers")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0) throw new ArgumentException($"A header in {source} has an empty name.", nameof(OtlpForwarderOptions.Headers));
        for (var i = 0; i < name.Length; i++)
        {
            if (IsTokenChar(name[i])) continue;
            // Only the valid part is shown: what follows a bad character may be a secret ("Authorization: Bearer ...").
            var start = i == 0 ? "A header name" : $"The header name beginning '{name[..i]}'";
            throw new ArgumentException(
                $"{start} in {source} has {Describe(name[i])} at position {i + 1}; a header name may have only letters, digits and {TokenSymbols} (an RFC 9110 token).",
                nameof(OtlpForwarderOptions.Headers));
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\t' or (>= ' ' and < '\x7F')) continue;
            var why = c > '\x7F'
                ? "a character outside ASCII; encode the value as the collector expects (such as Base64), since HTTP sends header values as ASCII"
                : $"{Describe(c)}, a control character, which could end the header and start another; a header value may have visible ASCII characters, spaces and tabs";
            throw new ArgumentException($"The value of the header '{name}' in {source} has {why}. The value is not shown.", nameof(OtlpForwarderOptions.Headers));
        }
    }

    /// <summary>
    /// The headers of OpenTelemetry's <c>OTEL_EXPORTER_OTLP_HEADERS</c> format: <c>name=value,name2=value2</c>,
    /// names and values URL-encoded (decoded here), each pair then <see cref="Check"/>ed.
    /// </summary>
    /// <param name="text">The variable's value.</param>
    /// <param name="source">The variable's name, for the message.</param>
    /// <exception cref="ArgumentException">A pair is not name=value (it is not shown, it may be a secret), or a header is not valid.</exception>
    public static Dictionary<string, string> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            number++;
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException(
                    $"The {Ordinal(number)} entry of {source} is not name=value (it is not shown: it may hold a secret); give headers as name=value pairs separated by commas, values URL-encoded.",
                    nameof(OtlpForwarderOptions.Headers));
            }
            var name = Uri.UnescapeDataString(pair[..equals].Trim());
            var value = Uri.UnescapeDataString(pair[(equals + 1)..].Trim());
            Check(name, value, source);
            headers[name] = value;
        }
        return headers;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c);

    private static string Describe(char c) => c switch
    {
        '\r' => "a carriage return (CR)",
        '\n' => "a line feed (LF)",
        '\0' => "a NUL",
        ' ' => "a space",
        < ' ' or '\x7F' => $"the control character U+{(int)c:X4}",
        > '\x7F' => "a character outside ASCII",
        _ => $"'{c}'",
    };

    private static string Ordinal(int n) => n switch
    {
        1 => "first",
        2 => "second",
        3 => "third",
        _ => n.ToString(CultureInfo.InvariantCulture) + "th",
    };
}
