using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// What a collector answered: a success's <c>ExportLogsServiceResponse</c> (<c>partialSuccess</c> with
/// <c>rejectedLogRecords</c>, an int64 as a string or a number, and <c>errorMessage</c>), or the message
/// of a failure (a <c>google.rpc.Status</c>'s <c>message</c>, or the body's text), shortened.
/// </summary>
internal readonly record struct OtlpExportResponse(long RejectedLogRecords, string? ErrorMessage)
{
    private const int MessageLimit = 512;

    /// <summary>A success's body; one that is empty or not the JSON expected is a full success, as its status says.</summary>
    public static OtlpExportResponse ParseSuccess(byte[] body)
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

    /// <summary>A failure's message: the status's <c>message</c> when the body is a JSON object, else its text; null when there is none.</summary>
    public static string? FailureMessage(byte[] body)
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

    private static long Int64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => 0,
    };

    private static string Shorten(string text) => text.Length <= MessageLimit ? text : string.Concat(text.AsSpan(0, MessageLimit), "...");
}
