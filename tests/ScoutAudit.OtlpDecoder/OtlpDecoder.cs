using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ScoutAudit.Core.Tests.Otlp;

/// <summary>
/// Reads OTLP/HTTP logs requests and writes answers with the code protoc generated from the schema, never
/// the forwarder's: a protobuf body must be what protobuf's own serializer gives for the message it holds, byte
/// for byte, once unknown fields are dropped (so it has none, and each field is where the schema puts it); a
/// JSON body must parse with unknown fields refused.
/// </summary>
public static class OtlpDecoder
{
    /// <summary>Proto3 JSON with enums as numbers, as OTLP/JSON writes them.</summary>
    private static readonly JsonFormatter Canonical = new(JsonFormatter.Settings.Default.WithFormatEnumsAsIntegers(true));

    public const string ProtobufMediaType = "application/x-protobuf";

    /// <summary>Whether a Content-Type header names the protobuf encoding.</summary>
    public static bool IsProtobuf(string? contentType) =>
        contentType?.Split(';')[0].Trim().Equals(ProtobufMediaType, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The request in <paramref name="body"/>.</summary>
    /// <exception cref="InvalidProtocolBufferException">Not a protobuf message of the schema.</exception>
    /// <exception cref="InvalidJsonException">Not JSON, or a field the schema does not have.</exception>
    /// <exception cref="InvalidOperationException">A protobuf body with an unknown or misplaced field.</exception>
    public static ExportLogsServiceRequest Decode(byte[] body, bool protobuf)
    {
        if (!protobuf) return JsonParser.Default.Parse<ExportLogsServiceRequest>(Encoding.UTF8.GetString(body));
        var message = ExportLogsServiceRequest.Parser.WithDiscardUnknownFields(true).ParseFrom(body);
        if (!message.ToByteArray().AsSpan().SequenceEqual(body))
            throw new InvalidOperationException($"the body ({body.Length} bytes) is not what protobuf serializes for the message it holds ({message.CalculateSize()} bytes): it has an unknown or misplaced field");
        return message;
    }

    /// <summary>A request, whatever its encoding was, as proto3 JSON text.</summary>
    public static string ToJson(IMessage message) => Canonical.Format(message);

    /// <summary>The body of a request in either encoding, as proto3 JSON text (for the Pester receiver).</summary>
    public static string DecodeToJson(byte[] body, string? contentType) => ToJson(Decode(body, IsProtobuf(contentType)));

    /// <summary>
    /// An answer given as the proto3 JSON of a <paramref name="message"/> type (null: <c>ExportLogsServiceResponse</c>),
    /// in the encoding of the request: protobuf bytes, or the JSON as it is; with its Content-Type. Text that is no
    /// such JSON (a proxy's error page) goes as it is, as text/plain.
    /// </summary>
    public static (byte[] Body, string ContentType) Answer(string json, bool protobuf, MessageDescriptor? message = null)
    {
        if (!protobuf) return (Encoding.UTF8.GetBytes(json), "application/json");
        try
        {
            return (JsonParser.Default.Parse(json, message ?? ExportLogsServiceResponse.Descriptor).ToByteArray(), ProtobufMediaType);
        }
        catch (InvalidJsonException)
        {
            return (Encoding.UTF8.GetBytes(json), "text/plain; charset=utf-8");
        }
        catch (InvalidProtocolBufferException)
        {
            return (Encoding.UTF8.GetBytes(json), "text/plain; charset=utf-8");
        }
    }
}
