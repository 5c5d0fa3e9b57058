using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScoutAudit.Core;

/// <summary>
/// Takes secrets out of an event's <see cref="AuditEvent.Config"/> and <see cref="AuditEvent.Extras"/>
/// before it reaches the disk, replacing them with <see cref="Marker"/>. Two ways a secret is recognised:
/// <list type="bullet">
/// <item>by its key: the value of a field named like a secret (<c>password</c>, <c>api_key</c>, <c>apiKey</c>,
/// <c>access_token</c>, <c>client_secret</c>, <c>Authorization</c>, <c>private_key</c>...), at any depth, is
/// replaced whole. Names that count or describe tokens and secrets (<c>max_tokens</c>, <c>token_count</c>,
/// <c>tokenizer</c>, <c>password_policy</c>, <c>secret_name</c>, <c>api_key_path</c>) are left alone;</item>
/// <item>by its shape, inside any string: a bearer token, an <c>Authorization:</c> header, a password in a
/// connection string (<c>Password=...;</c>) or in a URL (<c>user:pass@host</c>), a <c>token=</c> query
/// parameter, a PEM private key, and keys with well-known prefixes (<c>sk-</c>, <c>ghp_</c>, <c>AKIA</c>,
/// <c>xoxb-</c>, <c>AIza</c>, <c>hf_</c>, <c>glpat-</c>, JSON web tokens). Only the secret part is replaced.</item>
/// </list>
/// Booleans, nulls and empty strings hold no secret and are kept. Other fields (the reason, the model)
/// are not touched: they are the audit record itself.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Marker = "[REDACTED]";

    /// <summary>Words that make a field a secret wherever they appear in its name (password_hash, client_secret).</summary>
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwords", "passwd", "passphrase", "secret", "secrets", "credential", "credentials",
        "apikey", "apikeys", "privatekey", "secretkey", "accesskey", "clientsecret",
        "accesstoken", "refreshtoken", "idtoken", "authtoken", "bearertoken", "sessiontoken",
    };

    /// <summary>Words that make a field a secret as the last word of its name (access_token, Proxy-Authorization).</summary>
    private static readonly HashSet<string> SecretLastWords = new(StringComparer.Ordinal)
    {
        "token", "authorization", "auth", "cookie", "bearer", "jwt",
    };

    /// <summary>Words before a final <c>key</c> or <c>keys</c> that make it a secret (api_key, PrivateKey, x-api-key).</summary>
    private static readonly HashSet<string> SecretKeyQualifiers = new(StringComparer.Ordinal)
    {
        "api", "private", "secret", "access", "signing", "encryption", "master", "account", "subscription", "client", "ssh",
    };

    /// <summary>
    /// A last word that makes the field describe a secret rather than hold one (password_policy,
    /// secret_name, api_key_path, token_type, token_count).
    /// </summary>
    private static readonly HashSet<string> DescriptorWords = new(StringComparer.Ordinal)
    {
        "name", "names", "id", "ids", "arn", "type", "kind", "count", "length", "len", "size", "ttl", "expiry",
        "expires", "expiration", "in", "at", "policy", "version", "file", "path", "dir", "env", "var", "ref", "rotation",
        "enabled", "disabled", "required", "provider", "source", "hint", "format", "limit", "url", "uri", "endpoint",
        "field", "prompt", "set", "reset", "changed", "updated", "created", "min", "max", "strength", "rules", "label",
        "description", "budget", "usage", "used",
    };

    /// <summary>Words that make a field a quantity, never a secret (max_token, input_tokens, token_limit).</summary>
    private static readonly HashSet<string> QuantityWords = new(StringComparer.Ordinal)
    {
        "max", "min", "num", "number", "total", "input", "output", "prompt", "completion", "tokens", "per", "limit",
    };

    /// <summary>Field names already judged by <see cref="IsSecretName"/>.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Judged = new(StringComparer.Ordinal);

    /// <summary>The event with its secrets replaced; the same instance when it holds none.</summary>
    public static AuditEvent Redact(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Config is null && auditEvent.Extras.Count == 0) return auditEvent;

        var changed = false;
        var config = auditEvent.Config is { } original ? Redact(original, secretKey: false, ref changed) : (JsonElement?)null;
        List<KeyValuePair<string, JsonElement>>? extras = null;
        if (auditEvent.Extras.Count > 0)
        {
            extras = new List<KeyValuePair<string, JsonElement>>(auditEvent.Extras.Count);
            foreach (var (name, value) in auditEvent.Extras)
                extras.Add(new(name, Redact(value, IsSecretName(name), ref changed)));
        }
        if (!changed) return auditEvent;

        return auditEvent.WithTrees(config, extras);
    }

    /// <summary>True when a field of this name holds a secret as a whole (api_key, apiKey, password, access_token...).</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // Field names repeat from event to event: each is judged once (up to a bound, against hostile variety).
        if (Judged.TryGetValue(name, out var secret)) return secret;
        secret = JudgeName(name);
        if (Judged.Count < 4096) Judged.TryAdd(name, secret);
        return secret;
    }

    private static bool JudgeName(string name)
    {
        var words = Words(name);
        if (words.Count == 0) return false;
        var last = words[^1];
        if (DescriptorWords.Contains(last) || words.Exists(QuantityWords.Contains)) return false;
        if (words.Exists(word => SecretWords.Contains(word) || word.Contains("password", StringComparison.Ordinal))) return true;
        if (SecretLastWords.Contains(last)) return true;
        return last is "key" or "keys" && words.Count >= 2 && SecretKeyQualifiers.Contains(words[^2]);
    }

    /// <summary>The text with every secret recognised by its shape replaced by <see cref="Marker"/>; the same instance when there is none.</summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 8) return text;
        var result = PrivateKeyBlock().Replace(text, Marker);
        result = AuthorizationHeader().Replace(result, match => match.Groups["prefix"].Value + match.Groups["scheme"].Value + Marker);
        result = SchemeCredentials().Replace(result, RedactSchemeCredentials);
        result = NamedValue().Replace(result, match => match.Groups["name"].Value + match.Groups["separator"].Value + Marker);
        result = UrlPassword().Replace(result, match => match.Groups["user"].Value + ":" + Marker + "@");
        result = KnownKeyPrefix().Replace(result, Marker);
        return result == text ? text : result;
    }

    private static string RedactSchemeCredentials(Match match)
    {
        var scheme = match.Groups["scheme"].Value;
        var credentials = match.Groups["credentials"].Value;
        var isSecret = scheme.Equals("basic", StringComparison.OrdinalIgnoreCase)
            ? IsBasicCredentials(credentials)
            : credentials.Length >= 12 && credentials.AsSpan().IndexOfAny("0123456789-._~+/=") >= 0;
        return isSecret ? scheme + match.Groups["space"].Value + Marker : match.Value;
    }

    /// <summary>Basic credentials are base64 of <c>user:password</c>; plain words after "basic" are not.</summary>
    private static bool IsBasicCredentials(string credentials)
    {
        var buffer = new byte[credentials.Length];
        return Convert.TryFromBase64String(credentials, buffer, out var length) && Array.IndexOf(buffer, (byte)':', 0, length) >= 0;
    }

    private static JsonElement Redact(JsonElement value, bool secretKey, ref bool changed)
    {
        if (!Contains(value, secretKey)) return value;
        changed = true;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = EventFieldRules.MaxDepth + 2 }))
            Write(writer, value, secretKey);
        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = EventFieldRules.MaxDepth + 2 });
        return document.RootElement.Clone();
    }

    /// <summary>True when something in the value is to be redacted.</summary>
    private static bool Contains(JsonElement value, bool secretKey)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (secretKey) return value.EnumerateObject().Any();
                foreach (var property in value.EnumerateObject())
                {
                    if (Contains(property.Value, IsSecretName(property.Name))) return true;
                }
                return false;
            case JsonValueKind.Array:
                if (secretKey && value.GetArrayLength() > 0) return true;
                foreach (var item in value.EnumerateArray())
                {
                    if (Contains(item, secretKey: false)) return true;
                }
                return false;
            case JsonValueKind.String:
                var text = JsonText.Read(value);
                return secretKey ? text.Length > 0 : !ReferenceEquals(RedactText(text), text);
            case JsonValueKind.Number:
                return secretKey;
            default:
                return false;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value, bool secretKey)
    {
        if (!Contains(value, secretKey))
        {
            value.WriteTo(writer);
            return;
        }
        if (secretKey)
        {
            writer.WriteStringValue(Marker);
            return;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, IsSecretName(property.Name));
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray()) Write(writer, item, secretKey: false);
                writer.WriteEndArray();
                break;
            default: // a string with a secret inside
                var redacted = RedactText(JsonText.Read(value));
                try
                {
                    writer.WriteStringValue(redacted);
                }
                catch (ArgumentException)
                {
                    writer.WriteStringValue(Marker); // the rest holds an unpaired surrogate: drop it whole
                }
                break;
        }
    }

    /// <summary>The lowercase words of a field name: split at separators, at camelCase humps and after acronyms (XApiKey: x, api, key).</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }
            if (char.IsUpper(c) && word.Length > 0)
            {
                var previous = name[i - 1];
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next))) Flush();
            }
            word.Append(char.ToLowerInvariant(c));
        }
        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
        }
    }

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKeyBlock();

    // "Authorization: Basic xyz", "proxy-authorization=abc": everything after the scheme to the end of the line.
    [GeneratedRegex(@"(?<prefix>\b(?:proxy-)?authorization[""']?\s*[:=]\s*[""']?)(?<scheme>[A-Za-z][\w-]*\s+)?(?<credentials>[^\s""'][^\r\n""']*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?<scheme>\b(?:bearer|basic|token))(?<space>\s+)(?<credentials>[A-Za-z0-9\-._~+/]+=*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemeCredentials();

    // Password=...; in connection strings, token=... in URLs, "password: ..." in text.
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_])(?<name>password|passwd|pwd|client_secret|secret|api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|token|accountkey|sharedaccesskey|sig)(?<separator>\s*=\s*|(?<=password|passwd|secret|api[_-]?key)\s*:\s+)(?:""[^""]*""|'[^']*'|[^;&\s,""']+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedValue();

    [GeneratedRegex(@"(?<user>\b[a-z][a-z0-9+.\-]*://[^/\s:@]*):(?<password>[^/\s@]+)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(
        @"(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_\-]{20,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}" +
        @"|(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Za-z0-9])|xox[abposr]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{35}" +
        @"|hf_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_\-]{20,}|npm_[A-Za-z0-9]{36}|eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        RegexOptions.CultureInvariant)]
    private static partial Regex KnownKeyPrefix();
}
