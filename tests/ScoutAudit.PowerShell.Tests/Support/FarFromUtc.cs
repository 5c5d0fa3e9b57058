using System.Runtime.CompilerServices;

namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>
/// Runs the whole test process in UTC+14 (Kiritimati, no daylight saving), so that any mix-up of
/// local time and UTC shows as a 14-hour error. .NET on Unix reads TZ when the cached local zone
/// is cleared.
/// </summary>
public static class FarFromUtc
{
    public const string Zone = "Pacific/Kiritimati";

    public static readonly TimeSpan Offset = TimeSpan.FromHours(14);

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The time zone must be set before any test reads the clock.")]
    public static void Apply()
    {
        Environment.SetEnvironmentVariable("TZ", Zone);
        TimeZoneInfo.ClearCachedData();
    }
}
