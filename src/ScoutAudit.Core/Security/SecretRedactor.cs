using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Takes secrets out of an event's <see cref="LogEvent.Config"/> and <see cref="LogEvent.Extras"/>
/// before it reaches the disk, replacing them with <see cref="Marker"/>. Two ways a secret is recognised:
/// <list type="bullet">
/// <item>by its key: the value of a field named like a secret (<c>password</c>, <c>api_key</c>, <c>apiKey</c>,
/// <c>access_token</c>, <c>client_secret</c>, <c>Authorization</c>, <c>private_key</c>...), at any depth, is
/// replaced whole. Names that count or describe tokens and secrets (<c>max_tokens</c>, <c>token_count</c>,
/// <c>tokenizer</c>, <c>password_policy</c>, <c>secret_name</c>, <c>api_key_path</c>) are left alone;</item>
/// <item>by its shape, inside any string (<see cref="SecretText"/>): a private key block (PEM, OpenSSH, PGP), a
/// bearer, basic or token credential, the value after a secret's name in any text form (<c>password=</c>,
/// <c>"api_key": "..."</c>, <c>password: x</c>, <c>DB_PASSWORD=</c>, <c>--password=</c>, <c>Pwd=...;</c>,
/// <c>?access_token=</c>, <c>Authorization: Bearer ...</c>), the password or bare key in a URL's userinfo
/// (<c>user:pass@host</c>, a Sentry DSN), a Slack webhook's path, and keys with well-known prefixes (<c>sk-</c>,
/// <c>ghp_</c>, <c>AKIA</c>, <c>xoxb-</c>, <c>xapp-</c>, <c>AIza</c>, <c>SG.</c>, <c>SK</c>, <c>hf_</c>, <c>glpat-</c>,
/// JSON web tokens...). Only the secret part is replaced. Field names are scanned too: a secret used as a
/// name is replaced.</item>
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
        "token", "authorization", "auth", "cookie", "bearer", "jwt", "pass", "pw", "pwd", "dsn", "signature", "sig",
    };

    /// <summary>Two words that make a field a secret when they follow each other (connectionString, token_value, auth_header).</summary>
    private static readonly HashSet<string> SecretWordPairs = new(StringComparer.Ordinal)
    {
        "connectionstring", "connstring", "connstr", "tokenvalue", "secretvalue", "passwordvalue", "authheader",
        "authorizationheader", "authvalue", "sessionkey", "sessioncookie", "webhooksecret", "signingsecret",
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
    public static LogEvent Redact(LogEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Config is null && auditEvent.Extras.Count == 0) return auditEvent;

        var changed = false;
        var config = auditEvent.Config is { } original ? Redact(original, secretKey: false, ref changed) : (JsonElement?)null;
        List<KeyValuePair<string, JsonElement>>? extras = null;
        if (auditEvent.Extras.Count > 0)
        {
            extras = new List<KeyValuePair<string, JsonElement>>(auditEvent.Extras.Count);
            HashSet<string>? names = null;
            foreach (var (name, value) in auditEvent.Extras)
            {
                var written = RedactText(name);
                if (!ReferenceEquals(written, name))
                {
                    // A secret used as a field name: the name is replaced, and kept apart from the other fields.
                    names ??= auditEvent.Extras.Select(field => field.Key).ToHashSet(StringComparer.Ordinal);
                    written = Unique(written, names);
                    changed = true;
                }
                extras.Add(new(written, Redact(value, IsSecretName(name), ref changed)));
            }
        }
        if (!changed) return auditEvent;

        return auditEvent.WithTrees(config, extras);
    }

    /// <summary>
    /// A value of a field named <paramref name="name"/> with its secrets replaced, as the field would be
    /// written (the whole value when the name is a secret's); the same element when it holds none.
    /// </summary>
    public static JsonElement RedactValue(string name, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var changed = false;
        return Redact(value, IsSecretName(name), ref changed);
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
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (SecretWordPairs.Contains(words[i] + words[i + 1])) return true;
        }
        return last is "key" or "keys" && words.Count >= 2 && SecretKeyQualifiers.Contains(words[^2]);
    }

    /// <summary>The text with every secret recognised by its shape replaced by <see cref="Marker"/>; the same instance when there is none.</summary>
    /// <remarks>
    /// Linear in the length of the text, one pass (see <see cref="SecretText"/>). A text the scan cannot
    /// finish in time is replaced whole: redaction fails closed.
    /// </remarks>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SecretText.Redact(text, Marker);
    }

    /// <summary>The value, rewritten when it holds a secret; the same element when it holds none. Each string is scanned once.</summary>
    private static JsonElement Redact(JsonElement value, bool secretKey, ref bool changed)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        bool rewritten;
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = EventFieldRules.MaxDepth + 2 }))
            rewritten = Write(writer, value, secretKey);
        if (!rewritten) return value;
        changed = true;
        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = EventFieldRules.MaxDepth + 2 });
        return document.RootElement.Clone();
    }

    /// <summary>Writes the value with its secrets replaced; true when something was replaced.</summary>
    private static bool Write(Utf8JsonWriter writer, JsonElement value, bool secretKey)
    {
        if (secretKey && HoldsAnything(value))
        {
            writer.WriteStringValue(Marker);
            return true;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var changed = false;
                HashSet<string>? names = null;
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    var original = property.Name;
                    var name = RedactText(original);
                    if (!ReferenceEquals(name, original))
                    {
                        // A secret used as a field name: the name is replaced, and kept apart from its siblings.
                        names ??= value.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                        name = Unique(name, names);
                        changed = true;
                    }
                    writer.WritePropertyName(name);
                    changed |= Write(writer, property.Value, IsSecretName(original));
                }
                writer.WriteEndObject();
                return changed;
            }
            case JsonValueKind.Array:
            {
                var changed = false;
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray()) changed |= Write(writer, item, secretKey: false);
                writer.WriteEndArray();
                return changed;
            }
            case JsonValueKind.String:
                var text = JsonText.Read(value);
                var redacted = RedactText(text);
                if (ReferenceEquals(redacted, text))
                {
                    value.WriteTo(writer);
                    return false;
                }
                try
                {
                    writer.WriteStringValue(redacted);
                }
                catch (ArgumentException)
                {
                    writer.WriteStringValue(Marker); // the rest holds an unpaired surrogate: drop it whole
                }
                return true;
            default:
                value.WriteTo(writer);
                return false;
        }
    }

    /// <summary>Whether a value under a secret's name holds something to hide: booleans, nulls, empty strings and empty containers do not.</summary>
    private static bool HoldsAnything(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().Any(),
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.String => value.ValueEquals(ReadOnlySpan<byte>.Empty) is false,
        JsonValueKind.Number => true,
        _ => false,
    };

    /// <summary><paramref name="name"/>, or with a number after it when a sibling has that name already (two secrets as names).</summary>
    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++) candidate = $"{name}-{n}";
        return candidate;
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
}
