using System.Text;

namespace ScoutAudit.Core;

/// <summary>
/// An endpoint as it may be shown: in a message, a verbose line, an error's target, the output
/// object and the checkpoint file. A URL can carry secrets (<c>?api_key=...</c>, <c>user:pass@</c>):
/// the query's values are replaced by <see cref="Mask"/>, a parameter without a value (which may be a
/// token itself) wholly, and the fragment (never sent) is left out. User information is refused
/// before anything is sent (<see cref="OtlpForwarderOptions.ResolveEndpoint"/>); were it there, it
/// would be left out too.
/// </summary>
public static class OtlpEndpoint
{
    /// <summary>What a query value is shown as.</summary>
    public const string Mask = "***";

    /// <summary>The URL without user information or fragment, each query value shown as <see cref="Mask"/>.</summary>
    public static string Redacted(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri) return Mask;
        var shown = new StringBuilder(endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
        var query = endpoint.GetComponents(UriComponents.Query, UriFormat.UriEscaped);
        if (query.Length == 0) return shown.ToString();
        shown.Append('?');
        var first = true;
        foreach (var parameter in query.Split('&'))
        {
            if (!first) shown.Append('&');
            first = false;
            var equals = parameter.IndexOf('=');
            shown.Append(equals < 0 ? Mask : parameter[..(equals + 1)] + Mask);
        }
        return shown.ToString();
    }

    /// <summary><see cref="Redacted(Uri)"/> as a URL, for an output object's Uri property.</summary>
    public static Uri RedactedUri(Uri endpoint) => new(Redacted(endpoint), UriKind.RelativeOrAbsolute);

    /// <summary>
    /// Whether what is sent to <paramref name="endpoint"/> crosses a network in clear text: plain
    /// http to a host that is not this machine (a loopback address or <c>localhost</c>).
    /// </summary>
    public static bool IsCleartextRemote(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.IsAbsoluteUri && endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback;
    }

    /// <summary>The values of the endpoint's query: secrets a collector's answer must not echo.</summary>
    internal static IEnumerable<string> QueryValues(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri) yield break;
        foreach (var parameter in endpoint.GetComponents(UriComponents.Query, UriFormat.UriEscaped).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = parameter[(parameter.IndexOf('=') + 1)..];
            yield return value;
            var decoded = Uri.UnescapeDataString(value);
            if (decoded != value) yield return decoded;
        }
    }
}
