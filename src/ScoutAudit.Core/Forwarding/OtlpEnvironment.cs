namespace ScoutAudit.Core;

/// <summary>
/// OpenTelemetry's standard exporter variables, read as its own exporters read them: the logs
/// signal's variable (<c>OTEL_EXPORTER_OTLP_LOGS_&lt;setting&gt;</c>) first, else the general one
/// (<c>OTEL_EXPORTER_OTLP_&lt;setting&gt;</c>); an empty variable counts as not set. A value that
/// cannot be used is an <see cref="ArgumentException"/> whose ParamName is the variable's name.
/// </summary>
public static class OtlpEnvironment
{
    /// <summary>The endpoint; a URL without a path gets /v1/logs from <see cref="OtlpForwarderOptions.ResolveEndpoint"/>.</summary>
    public static Uri Endpoint()
    {
        var setting = Setting("ENDPOINT");
        if (setting is { } found && Uri.TryCreate(found.Value, UriKind.Absolute, out var uri)) return uri;
        // A value that is no URL is not shown: it may hold a secret, where a query would have been masked.
        throw setting is { } bad
            ? new ArgumentException($"${bad.Name} is not an absolute URL (its value is not shown); give one such as https://collector.example.com:4318.", bad.Name)
            : new ArgumentException("No endpoint: give -Endpoint (such as https://collector.example.com:4318), or set $env:OTEL_EXPORTER_OTLP_ENDPOINT or $env:OTEL_EXPORTER_OTLP_LOGS_ENDPOINT.");
    }

    /// <summary>The protocol; http/protobuf, the specification's default, when none is set.</summary>
    public static OtlpProtocol Protocol() =>
        Setting("PROTOCOL") is { } setting ? OtlpProtocols.Parse(setting.Value, "$" + setting.Name) : OtlpProtocol.HttpProtobuf;

    /// <summary>The compression: gzip or none (the default).</summary>
    public static OtlpCompression Compression() => Setting("COMPRESSION") switch
    {
        null => OtlpCompression.None,
        { Value: var value } when value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) => OtlpCompression.None,
        { Value: var value } when value.Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase) => OtlpCompression.Gzip,
        { } other => throw new ArgumentException($"${other.Name} is '{other.Value}'; OTLP allows gzip or none.", other.Name),
    };

    /// <summary>The headers: <c>name=value,name2=value2</c>, values URL-encoded (<see cref="OtlpHeaders.Parse"/>); none when not set.</summary>
    public static Dictionary<string, string> Headers() =>
        Setting("HEADERS") is { } setting ? OtlpHeaders.Parse(setting.Value, "$env:" + setting.Name) : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    private static (string Name, string Value)? Setting(string setting)
    {
        foreach (var name in new[] { $"OTEL_EXPORTER_OTLP_LOGS_{setting}", $"OTEL_EXPORTER_OTLP_{setting}" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return (name, value);
        }
        return null;
    }
}
