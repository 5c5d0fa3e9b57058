using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using static Google.Protobuf.WireFormat;

namespace ScoutAudit.Core;

/// <summary>
/// What a collector answered: a success's <c>ExportLogsServiceResponse</c> (<c>partial_success</c> with
/// <c>rejected_log_records</c> and <c>error_message</c>), or the message of a failure (a <c>google.rpc.Status</c>'s
/// <c>message</c>, or the body's text), shortened. A body is read in the encoding its Content-Type names
/// (<c>application/x-protobuf</c> or <c>application/json</c>), as OTLP/HTTP has a server answer in the request's;
/// without one, in the request's.
/// </summary>
internal readonly record struct OtlpExportResponse(long RejectedLogRecords, string? ErrorMessage)
{
    private const int MessageLimit = 512;

    /// <summary>Whether a body with the media type <paramref name="mediaType"/> (null: none given) answering a request in <paramref name="sent"/> is protobuf.</summary>
    public static bool IsProtobuf(string? mediaType, OtlpProtocol sent) => mediaType is null
        ? sent == OtlpProtocol.HttpProtobuf
        : mediaType.Equals(OtlpProtocol.HttpProtobuf.ContentType(), StringComparison.OrdinalIgnoreCase);

    /// <summary>A success's body; one that is empty or not the message expected is a full success, as its status says.</summary>
    public static OtlpExportResponse ParseSuccess(byte[] body, bool protobuf) => protobuf ? ParseProtobufSuccess(body) : ParseJsonSuccess(body);

    /// <summary>A failure's message: the status's <c>message</c> when the body is such a message, else its text; null when there is none.</summary>
    public static string? FailureMessage(byte[] body, bool protobuf) => protobuf ? ProtobufFailureMessage(body) : JsonFailureMessage(body);

    /// <summary>A Status's message; one without (an empty body) says nothing beyond its HTTP status, and bytes that are no Status are not shown.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // JSON's path never loads Google.Protobuf (see ParseProtobufSuccess)
    private static string? ProtobufFailureMessage(byte[] body) =>
        Field(body, OtlpSchema.Status.Message, WireType.LengthDelimited, static input => input.ReadString(), null) is { Length: > 0 } said ? Shorten(said) : null;

    private static string? JsonFailureMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                // An object without a message (such as {}) says nothing beyond its status.
                return document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString() is { Length: > 0 } said
                    ? Shorten(said)
                    : null;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself.
        }
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MessageLimit * 4)).Trim();
        return text.Length == 0 ? null : Shorten(text);
    }

    private static OtlpExportResponse ParseJsonSuccess(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("partialSuccess", out var partial)
                || partial.ValueKind != JsonValueKind.Object)
                return default;
            var rejected = partial.TryGetProperty("rejectedLogRecords", out var count) ? Int64(count) : 0;
            var message = partial.TryGetProperty("errorMessage", out var text) && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } m ? Shorten(m) : null;
            return new OtlpExportResponse(rejected, message);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <remarks>
    /// Not inlined, nor is <see cref="ProtobufFailureMessage"/>, so that only protobuf's path loads Google.Protobuf:
    /// where another module has loaded an older one into the session, http/json still works.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static OtlpExportResponse ParseProtobufSuccess(byte[] body)
    {
        if (Field(body, OtlpSchema.ExportLogsServiceResponse.PartialSuccess, WireType.LengthDelimited, static input => input.ReadBytes().ToByteArray(), null) is not { } partial)
            return default;
        var rejected = Field(partial, OtlpSchema.ExportLogsPartialSuccess.RejectedLogRecords, WireType.Varint, static input => input.ReadInt64(), 0L);
        var message = Field(partial, OtlpSchema.ExportLogsPartialSuccess.ErrorMessage, WireType.LengthDelimited, static input => input.ReadString(), null);
        return new OtlpExportResponse(rejected, message is { Length: > 0 } ? Shorten(message) : null);
    }

    /// <summary>
    /// The last value of field <paramref name="number"/> in the message <paramref name="body"/> (proto3: the last one wins), read by
    /// <paramref name="read"/> when its wire type is <paramref name="type"/>; <paramref name="absent"/> when it is not there or the body is not a message.
    /// </summary>
    private static T Field<T>(byte[] body, int number, WireType type, Func<CodedInputStream, T> read, T absent)
    {
        var found = absent;
        try
        {
            var input = new CodedInputStream(body);
            for (uint tag; (tag = input.ReadTag()) != 0;)
            {
                if (GetTagFieldNumber(tag) == number && GetTagWireType(tag) == type) found = read(input);
                else input.SkipLastField();
            }
            return found;
        }
        catch (InvalidProtocolBufferException)
        {
            return absent;
        }
    }

    private static long Int64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => 0,
    };

    private static string Shorten(string text) => text.Length <= MessageLimit ? text : string.Concat(text.AsSpan(0, MessageLimit), "...");
}
