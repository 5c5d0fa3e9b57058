namespace ScoutAudit.Core;

/// <summary>
/// The secrets a forwarder sends (the headers' values, the endpoint query's values), masked out of
/// what a collector says: one that echoes the request (401 "invalid token Bearer ...") must not put
/// them in a message.
/// </summary>
internal sealed class CollectorSecrets
{
    private readonly string[] _secrets;

    public CollectorSecrets(IReadOnlyDictionary<string, string> headers, Uri endpoint) => _secrets = Secrets(headers, endpoint);

    /// <summary>What a collector said, each secret in it as <see cref="OtlpEndpoint.Mask"/>.</summary>
    public string? Scrub(string? said)
    {
        if (said is null) return null;
        foreach (var secret in _secrets) said = said.Replace(secret, OtlpEndpoint.Mask, StringComparison.Ordinal);
        return said;
    }

    /// <summary>The secrets a message must not repeat, longest first; a value shorter than 4 characters is no secret worth masking words for.</summary>
    private static string[] Secrets(IReadOnlyDictionary<string, string> headers, Uri endpoint)
    {
        var secrets = new List<string>();
        foreach (var value in headers.Values)
        {
            secrets.Add(value.Trim());
            // "Bearer <token>", "Basic <credentials>": the token alone as well.
            if (value.Trim().LastIndexOf(' ') is var space and > 0) secrets.Add(value.Trim()[(space + 1)..]);
        }
        secrets.AddRange(OtlpEndpoint.QueryValues(endpoint));
        return [.. secrets.Where(secret => secret.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(secret => secret.Length)];
    }
}
