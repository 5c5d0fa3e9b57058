namespace ScoutAudit.Core;

/// <summary>
/// The OTLP/HTTP encoding of request bodies: protobuf (<c>http/protobuf</c>, <c>application/x-protobuf</c>),
/// the specification's default and the one every OTLP/HTTP receiver accepts, or JSON (<c>http/json</c>,
/// <c>application/json</c>), which the specification makes optional for receivers.
/// </summary>
public enum OtlpProtocol
{
    HttpProtobuf,
    HttpJson,
}

/// <summary>The protocols' names as OTEL_EXPORTER_OTLP_PROTOCOL spells them, and their media types.</summary>
public static class OtlpProtocols
{
    public const string HttpProtobufName = "http/protobuf";
    public const string HttpJsonName = "http/json";
    public const string GrpcName = "grpc";

    /// <summary>The specification's name: <c>http/protobuf</c> or <c>http/json</c>.</summary>
    public static string Name(this OtlpProtocol protocol) => protocol == OtlpProtocol.HttpJson ? HttpJsonName : HttpProtobufName;

    /// <summary>The request's and, as the specification asks of a server, the response's Content-Type.</summary>
    public static string ContentType(this OtlpProtocol protocol) => protocol == OtlpProtocol.HttpJson ? "application/json" : "application/x-protobuf";

    /// <summary>
    /// The protocol named <paramref name="value"/> (<c>http/protobuf</c> or <c>http/json</c>, any case, blanks around
    /// ignored); <paramref name="source"/> names where it came from in the error (<c>-Protocol</c>, <c>$env:OTEL_EXPORTER_OTLP_PROTOCOL</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><c>grpc</c>, which this forwarder does not speak, or any other value.</exception>
    public static OtlpProtocol Parse(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Trim();
        if (name.Equals(HttpProtobufName, StringComparison.OrdinalIgnoreCase)) return OtlpProtocol.HttpProtobuf;
        if (name.Equals(HttpJsonName, StringComparison.OrdinalIgnoreCase)) return OtlpProtocol.HttpJson;
        if (name.Equals(GrpcName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"{source} is '{GrpcName}', which this forwarder does not speak: it sends OTLP over HTTP. Use {HttpProtobufName} (the same protobuf messages, " +
                $"to the collector's OTLP/HTTP receiver, port 4318 by default, not gRPC's 4317) or {HttpJsonName}.", nameof(value));
        }
        throw new ArgumentException($"{source} is '{value}'; OTLP/HTTP allows {HttpProtobufName} (the default) or {HttpJsonName}.", nameof(value));
    }
}
