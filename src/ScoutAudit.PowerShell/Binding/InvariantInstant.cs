using System.Globalization;
using System.Management.Automation;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// Reads the time of an event so that it means one instant in every culture, or refuses it.
/// A [datetime] of kind Local or Unspecified is local time, as PowerShell users mean it (Get-Date,
/// and the Timestamp of ScoutAudit's own events); text is ISO 8601 (<c>2026-02-13T14:30:22.123Z</c>,
/// an offset, or none for local time, with a T or a space), never a culture's own form such as
/// 02/03/2026, whose day and month depend on who reads it. Blank text is "not given".
/// </summary>
internal static class InvariantInstant
{
    private static readonly string[] IsoForms =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mmK",
    ];

    public static DateTimeOffset? ToDateTimeOffset(object? input)
    {
        switch (input is PSObject wrapped ? wrapped.BaseObject : input)
        {
            case null:
                return null;
            case DateTimeOffset value:
                return value;
            case DateTime { Kind: DateTimeKind.Utc } value:
                return new DateTimeOffset(value);
            case DateTime value:
                return new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Local));
            case string text when string.IsNullOrWhiteSpace(text):
                return null;
            case string text:
                return DateTimeOffset.TryParseExact(text.Trim(), IsoForms, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed)
                    ? parsed
                    : throw new ArgumentTransformationMetadataException(
                        $"'{text}' is not a time in ISO 8601 form; write it as 2026-02-13T14:30:22.123Z (UTC), with an offset such as +01:00, or without one for local time, or give a [datetime].");
            case var other:
                throw new ArgumentTransformationMetadataException(
                    $"A time is expected ([datetime], [datetimeoffset] or ISO 8601 text); got a {other.GetType().FullName} '{Convert.ToString(other, CultureInfo.InvariantCulture)}'.");
        }
    }
}
