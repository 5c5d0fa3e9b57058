using System.Text;
using System.Text.RegularExpressions;

namespace ScoutAudit.Core;

/// <summary>
/// Finds secrets by their shape inside a text, in one forward pass: one combined pattern finds
/// candidates (a key block's header, a URL's userinfo, a scheme and its credentials, a key with a
/// well-known prefix, a <c>name=</c> or <c>name:</c>), and code decides and measures what to replace.
/// <para>
/// Why it stays linear in the length of the text: every quantifier of the pattern is bounded and
/// atomic, every candidate starts only where a run of its own characters starts (a lookbehind), so no
/// run is rescanned from each of its characters; the scan resumes after what a match consumed; and
/// the spans measured in code (a value, a key block) are consumed as they are measured. A match that
/// still runs past <see cref="MatchTimeout"/> (it should never) makes the whole text a secret:
/// failing closed.
/// </para>
/// </summary>
internal static partial class SecretText
{
    /// <summary>
    /// How long one search for the next candidate may run before the whole text is replaced. A backstop,
    /// far above what the linear scan takes (a megabyte, the most an event may hold, in 0.05 to 0.2 s
    /// here), so that a loaded machine or code not yet optimised by the JIT does not trip it.
    /// </summary>
    public const int MatchTimeoutMilliseconds = 10_000;

    public static TimeSpan MatchTimeout => TimeSpan.FromMilliseconds(MatchTimeoutMilliseconds);

    /// <summary>The text with every secret recognised by its shape replaced by <paramref name="marker"/>; the same instance when there is none.</summary>
    public static string Redact(string text, string marker) => Redact(text, marker, Candidates());

    /// <summary>As <see cref="Redact(string, string)"/>, with the given scanner (tests give one with a short timeout).</summary>
    internal static string Redact(string text, string marker, Regex candidates)
    {
        if (text.Length < 4) return text;
        try
        {
            return Scan(text, marker, candidates);
        }
        catch (RegexMatchTimeoutException)
        {
            return marker; // fail closed: what could not be scanned is not written
        }
    }

    /// <summary>The scanner as compiled into the assembly, with <see cref="MatchTimeout"/>; tests build others from <see cref="Pattern"/>.</summary>
    internal static Regex Scanner => Candidates();

    private static string Scan(string text, string marker, Regex candidates)
    {
        StringBuilder? output = null;
        var copied = 0;
        var at = 0;
        while (at < text.Length)
        {
            var match = candidates.Match(text, at);
            if (!match.Success) break;
            var (start, end, next) = Decide(text, match);
            if (end > start)
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copied, start - copied).Append(marker);
                copied = end;
            }
            at = Math.Max(next, match.Index + 1);
        }
        if (output is null) return text;
        return output.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The span [start, end) to replace (empty for none) and where the scan goes on.</summary>
    private static (int Start, int End, int Next) Decide(string text, Match match)
    {
        var matchEnd = match.Index + match.Length;
        if (match.Groups["block"].Success)
        {
            var end = EndOfKeyBlock(text, matchEnd);
            return (match.Index, end, end);
        }
        if (match.Groups["password"] is { Success: true } password) return (password.Index, password.Index + password.Length, matchEnd);
        if (match.Groups["userkey"] is { Success: true } userKey) return (userKey.Index, userKey.Index + userKey.Length, matchEnd);
        if (match.Groups["hookpath"] is { Success: true } hook)
        {
            var end = EndOfRun(text, hook.Index + hook.Length, IsUrlPathChar);
            return (hook.Index, end, end);
        }
        if (match.Groups["known"] is { Success: true } known)
        {
            var end = EndOfRun(text, known.Index + known.Length, IsTokenChar);
            return (known.Index, end, end);
        }
        if (match.Groups["scheme"] is { Success: true } scheme)
        {
            var credentials = match.Groups["credentials"];
            if (!IsSchemeSecret(scheme.Value, credentials.Value)) return (0, 0, scheme.Index + scheme.Length);
            var end = EndOfRun(text, credentials.Index + credentials.Length, IsCredentialChar);
            return (credentials.Index, end, end);
        }
        var name = match.Groups["name"].Value;
        if (!SecretRedactor.IsSecretName(name)) return (0, 0, matchEnd);
        var (valueStart, valueEnd) = Value(text, matchEnd, IsHeaderName(name));
        return (valueStart, valueEnd, Math.Max(valueEnd, matchEnd));
    }

    /// <summary>Names whose value is a whole header: a scheme word, then credentials to the end of the line.</summary>
    private static bool IsHeaderName(string name) =>
        name.EndsWith("authorization", StringComparison.OrdinalIgnoreCase) || name.EndsWith("header", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The span of the value that starts at <paramref name="at"/>: inside double quotes (kept), with its
    /// single quotes (replaced too, as in <c>Pwd='p;w'</c>), a bracketed JSON value whole, or a bare word
    /// up to a separator. A header's scheme word (<c>Bearer</c>, <c>Basic</c>) is kept and the rest of the
    /// line is the value. A value whose end is not found runs to the end of the text.
    /// </summary>
    private static (int Start, int End) Value(string text, int at, bool header)
    {
        var n = text.Length;
        var i = at;
        var escapedQuote = false;
        var quote = '\0';
        if (i + 1 < n && text[i] == '\\' && text[i + 1] is '"' or '\'')
        {
            escapedQuote = true;
            quote = text[i + 1];
            i += 2;
        }
        else if (i < n && text[i] is '"' or '\'')
        {
            quote = text[i];
            i++;
        }
        if (header) i = AfterSchemeWord(text, i, quote);
        if (quote != '\0')
        {
            var close = i;
            while (close < n && text[close] is not ('\r' or '\n'))
            {
                if (escapedQuote ? text[close] == '\\' && close + 1 < n && text[close + 1] == quote : text[close] == quote) break;
                if (!escapedQuote && quote == '"' && text[close] == '\\') close++; // an escaped character inside the quotes
                close++;
            }
            close = Math.Min(close, n);
            if (quote == '\'' && !escapedQuote && !header) return (at, Math.Min(close + 1, n));
            return (i, close);
        }
        if (i < n && text[i] is '{' or '[') return (i, EndOfBracketed(text, i));
        var end = i;
        if (header)
        {
            while (end < n && text[end] is not ('\r' or '\n' or '"' or '\'')) end++;
            while (end > i && char.IsWhiteSpace(text[end - 1])) end--;
        }
        else
        {
            while (end < n && !char.IsWhiteSpace(text[end]) && text[end] is not (',' or ';' or '&' or '"' or '\'' or '}' or ']' or ')' or '<' or '>')) end++;
        }
        return (i, end);
    }

    /// <summary>After a header's scheme word and its spaces (<c>Bearer </c>), when credentials follow it; else <paramref name="at"/>.</summary>
    private static int AfterSchemeWord(string text, int at, char quote)
    {
        var i = at;
        while (i < text.Length && i - at <= 32 && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '-')) i++;
        if (i == at || i - at > 32 || i >= text.Length || text[i] is not (' ' or '\t')) return at;
        var afterSpaces = i;
        while (afterSpaces < text.Length && text[afterSpaces] is ' ' or '\t') afterSpaces++;
        var credentials = afterSpaces < text.Length && !char.IsWhiteSpace(text[afterSpaces]) && text[afterSpaces] != quote;
        return credentials ? afterSpaces : at;
    }

    /// <summary>The end of the JSON object or array that starts at <paramref name="at"/> (after its closing bracket), strings skipped; the text's end when it does not close.</summary>
    private static int EndOfBracketed(string text, int at)
    {
        var depth = 0;
        var inString = false;
        for (var i = at; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '{' or '[': depth++; break;
                case '}' or ']':
                    if (--depth == 0) return i + 1;
                    break;
            }
        }
        return text.Length;
    }

    /// <summary>The end of a private key block whose header ends at <paramref name="at"/>: after its END line, or the text's end when there is none.</summary>
    private static int EndOfKeyBlock(string text, int at)
    {
        var footer = text.IndexOf("-----END ", at, StringComparison.Ordinal);
        if (footer < 0) return text.Length;
        var close = text.IndexOf("-----", footer + 9, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + 5;
    }

    private static int EndOfRun(string text, int at, Func<char, bool> inRun)
    {
        while (at < text.Length && inRun(text[at])) at++;
        return at;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static bool IsCredentialChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '=';

    private static bool IsUrlPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '/' or '+';

    /// <summary>
    /// Whether the word after <c>Bearer</c>, <c>Basic</c> or <c>token</c> is a credential and not prose
    /// ("the bearer of bad news", "basic auth is off"): basic credentials are base64 of <c>user:password</c>;
    /// others are long, with a digit or symbol, or mixed case, or very long.
    /// </summary>
    private static bool IsSchemeSecret(string scheme, string credentials)
    {
        if (scheme.Equals("basic", StringComparison.OrdinalIgnoreCase)) return IsBasicCredentials(credentials);
        if (credentials.Length >= 12 && credentials.AsSpan().IndexOfAny("0123456789-._~+/=") >= 0) return true;
        if (!scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase)) return false;
        var mixedCase = credentials.AsSpan().IndexOfAnyInRange('a', 'z') >= 0 && credentials.AsSpan().IndexOfAnyInRange('A', 'Z') >= 0;
        return (credentials.Length >= 16 && mixedCase) || credentials.Length >= 24;
    }

    /// <summary>Basic credentials are base64 of <c>user:password</c>; plain words after "basic" are not.</summary>
    private static bool IsBasicCredentials(string credentials)
    {
        var buffer = new byte[credentials.Length];
        return Convert.TryFromBase64String(credentials, buffer, out var length) && Array.IndexOf(buffer, (byte)':', 0, length) >= 0;
    }

    /// <summary>
    /// The candidates, in the order tried at one position. Every quantifier is bounded and atomic;
    /// every branch starts where a run of its characters starts (the lookbehinds).
    /// </summary>
    internal const string Pattern =
        // A PEM or PGP private key block: its header here, its end found in code.
        @"(?<block>-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)" +
        // A URL with userinfo: user:password@ (postgres://app:pw@db), or a long bare key as the user (a Sentry DSN).
        @"|(?<![A-Za-z0-9+.\-])[A-Za-z](?>[A-Za-z0-9+.\-]{0,30})://(?:(?>[^/\s:@]{0,256}):(?<password>(?>[^/\s@]{1,256}))|(?<userkey>(?>[A-Za-z0-9_\-]{16,128})))@" +
        // A Slack webhook: the path after the host is the secret.
        @"|(?<![A-Za-z0-9.\-])hooks\.slack\.com/(?:services|workflows|triggers)/(?<hookpath>(?>[A-Za-z0-9_/+\-]{8,256}))" +
        // Keys with a well-known prefix.
        @"|(?<![A-Za-z0-9_\-])(?<known>" +
        @"sk-(?>[A-Za-z0-9_\-]{20,512})" +
        @"|[rs]k_(?:live|test)_(?>[A-Za-z0-9]{16,256})|whsec_(?>[A-Za-z0-9]{24,256})" +
        @"|gh[pousr]_(?>[A-Za-z0-9]{30,256})|github_pat_(?>[A-Za-z0-9_]{30,256})" +
        @"|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Za-z0-9])" +
        @"|xox[abposre]-(?>[A-Za-z0-9\-]{10,256})|xapp-[0-9]-(?>[A-Za-z0-9\-]{10,256})" +
        @"|AIza[0-9A-Za-z_\-]{35}|ya29\.(?>[0-9A-Za-z_\-]{20,2048})" +
        @"|hf_(?>[A-Za-z0-9]{30,256})|glpat-(?>[A-Za-z0-9_\-]{20,256})|npm_[A-Za-z0-9]{36}|pypi-AgE(?>[A-Za-z0-9_\-]{50,1024})" +
        @"|SG\.(?>[A-Za-z0-9_\-]{16,32})\.(?>[A-Za-z0-9_\-]{16,64})|SK[0-9a-fA-F]{32}(?![A-Za-z0-9])" +
        @"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|dapi[a-f0-9]{32}(?![A-Za-z0-9])|dop_v1_[a-f0-9]{64}" +
        @"|gsk_(?>[A-Za-z0-9]{40,256})|r8_(?>[A-Za-z0-9]{30,256})|pplx-(?>[A-Za-z0-9]{40,256})|xai-(?>[A-Za-z0-9]{40,256})" +
        @"|eyJ(?>[A-Za-z0-9_\-]{8,2048})\.eyJ(?>[A-Za-z0-9_\-]{8,8192})\.(?>[A-Za-z0-9_\-]{8,2048})" +
        @")" +
        // A scheme and its credentials: Bearer abc, Basic dXNl..., token abc.
        @"|(?<![A-Za-z0-9_\-])(?<scheme>(?i:bearer|basic|token))[ \t]{1,8}(?<credentials>(?>[A-Za-z0-9\-._~+/]{1,4096})={0,2})" +
        // A name and a separator: password=, "api_key": , DB_PASSWORD=, --password=, Pwd= ... (the name is judged in code).
        @"|(?<![A-Za-z0-9_.\-])-{0,2}(?<name>[A-Za-z_](?>[A-Za-z0-9_.\-]{0,63}))\\?[""']?[ \t]{0,4}[:=][ \t]{0,4}";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeoutMilliseconds)]
    private static partial Regex Candidates();
}
