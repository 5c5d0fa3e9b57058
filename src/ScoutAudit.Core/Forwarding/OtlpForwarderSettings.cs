using System.Collections;
using System.Globalization;
using System.Net;
using System.Security;
using System.Text;

namespace ScoutAudit.Core;

/// <summary>
/// What a caller (Send-ScoutAuditEvent's parameters) gave for forwarding, each setting left null where
/// OpenTelemetry's standard variables decide instead, as its own exporters do (<see cref="OtlpEnvironment"/>);
/// <see cref="ToOptions"/> makes a forwarder's options of them. Every value is checked, and an
/// <see cref="ArgumentException"/> names the parameter it came from, never a secret's value.
/// </summary>
public sealed record OtlpForwarderSettings
{
    /// <summary>The collector's endpoint; null: <see cref="OtlpEnvironment.Endpoint"/>.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>
    /// Request headers as given (-Header), in their order; a value is text or a <see cref="SecureString"/>.
    /// Null: <see cref="OtlpEnvironment.Headers"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<object, object?>>? Headers { get; init; }

    /// <summary>A bearer token, sent as <c>Authorization: Bearer</c> (-Token).</summary>
    public SecureString? Token { get; init; }

    /// <summary>A user name (as given, domain and all) and password, sent as <c>Authorization: Basic</c> (-Credential).</summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>The encoding's name (-Protocol); null: <see cref="OtlpEnvironment.Protocol"/>.</summary>
    public string? Protocol { get; init; }

    /// <summary>Null: <see cref="OtlpEnvironment.Compression"/>.</summary>
    public OtlpCompression? Compression { get; init; }

    public string ServiceName { get; init; } = OtlpLogEncoding.DefaultServiceName;

    /// <summary>More resource attributes as given (-ResourceAttribute), in their order; each value text.</summary>
    public IReadOnlyList<KeyValuePair<object, object?>>? ResourceAttributes { get; init; }

    public TimeSpan? GiveUpAfter { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The proxy (-Proxy), without credentials in it; null: the system's.</summary>
    public Uri? Proxy { get; init; }

    /// <summary>The proxy's credentials (-ProxyCredential); only with <see cref="Proxy"/>.</summary>
    public NetworkCredential? ProxyCredential { get; init; }

    /// <summary>The endpoint given, else the one OpenTelemetry's variables name.</summary>
    /// <exception cref="ArgumentException">None was given and the variables name none that is a URL; ParamName is the variable.</exception>
    public Uri ChosenEndpoint() => Endpoint ?? OtlpEnvironment.Endpoint();

    /// <summary>The forwarder's options, sending to <paramref name="endpoint"/> (<see cref="ChosenEndpoint"/>); its CheckpointPath is left for the caller.</summary>
    /// <exception cref="ArgumentException">A setting, or a variable standing in for one, cannot be used.</exception>
    public OtlpForwarderOptions ToOptions(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Headers = RequestHeaders(),
        ServiceName = ServiceName,
        Protocol = Protocol is null ? OtlpEnvironment.Protocol() : OtlpProtocols.Parse(Protocol, "-Protocol"),
        Compression = Compression ?? OtlpEnvironment.Compression(),
        ResourceAttributes = ResourceAttributes is null ? new Dictionary<string, string>() : Strings(ResourceAttributes, "ResourceAttribute"),
        GiveUpAfter = GiveUpAfter,
        RequestTimeout = RequestTimeout,
        Proxy = WebProxy(),
    };

    /// <summary>
    /// The request's headers: -Header, else OpenTelemetry's variable; then Authorization from -Token or
    /// -Credential, which a header of -Header may not also give (which would win is not for the command to
    /// guess), but replaces one from the variable (a default). Each checked, naming where it came from.
    /// </summary>
    private Dictionary<string, string> RequestHeaders()
    {
        if (Token is not null && Credential is not null)
            throw new ArgumentException("Give -Token (Authorization: Bearer) or -Credential (Authorization: Basic), not both: a request has one Authorization header.", "Token");
        var headers = Headers is null ? OtlpEnvironment.Headers() : Strings(Headers, "Header", checkHeaders: true);
        var (authorization, source) = Token is not null
            ? ("Bearer " + new NetworkCredential(string.Empty, Token).Password, "-Token")
            : Credential is not null ? (Basic(Credential), "-Credential") : (null, null);
        if (authorization is null) return headers;
        if (Headers is not null && headers.ContainsKey("Authorization"))
            throw new ArgumentException($"-Header has an Authorization header and {source} gives one too: give one of them.", "Header");
        OtlpHeaders.Check("Authorization", authorization, source!);
        headers["Authorization"] = authorization;
        return headers;
    }

    /// <summary>Basic authentication's credentials (RFC 7617): user:password in UTF-8, Base64.</summary>
    private static string Basic(NetworkCredential credential)
    {
        if (credential.UserName.Contains(':'))
            throw new ArgumentException("The user name of -Credential has a ':', which Basic authentication cannot carry (it separates the user name from the password).", "Credential");
        return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));
    }

    /// <summary>The proxy of -Proxy with -ProxyCredential; null: the system's.</summary>
    private WebProxy? WebProxy()
    {
        if (Proxy is null)
        {
            if (ProxyCredential is not null) throw new ArgumentException("-ProxyCredential is for the proxy of -Proxy; give -Proxy too.", "ProxyCredential");
            return null;
        }
        if (!Proxy.IsAbsoluteUri || Proxy.UserInfo.Length > 0)
            throw new ArgumentException($"-Proxy must be an absolute URL without a user name or password (give -ProxyCredential); got '{(Proxy.IsAbsoluteUri ? OtlpEndpoint.Redacted(Proxy) : OtlpEndpoint.Mask)}'.", "Proxy");
        return new WebProxy(Proxy) { Credentials = ProxyCredential };
    }

    /// <summary>
    /// A table's entries as text; a value that is not a plain value is refused (a header is text). A
    /// header's value may be a SecureString. With <paramref name="checkHeaders"/>, each is checked as a header.
    /// </summary>
    private static Dictionary<string, string> Strings(IReadOnlyList<KeyValuePair<object, object?>> table, string parameter, bool checkHeaders = false)
    {
        var strings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, entry) in table)
        {
            var value = entry;
            var name = Convert.ToString(key, CultureInfo.InvariantCulture)!;
            if (checkHeaders && value is SecureString secure) value = new NetworkCredential(string.Empty, secure).Password;
            if (value is null or IDictionary or (IEnumerable and not string))
            {
                // Named by its valid beginning only: a header's "name" may be a whole "Authorization: Bearer ..." line.
                if (checkHeaders) OtlpHeaders.Check(name, string.Empty, "-" + parameter);
                throw new ArgumentException($"-{parameter} '{name}' must be text; got {(value is null ? "null" : value.GetType().Name)}.", parameter);
            }
            var text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            if (checkHeaders) OtlpHeaders.Check(name, text, "-" + parameter);
            strings[name] = text;
        }
        return strings;
    }
}
