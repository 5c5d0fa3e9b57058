namespace ScoutAudit.PowerShell.Tests.Browser;

/// <summary>
/// A fact that needs headless Chromium: skipped, with the reason, when it is not installed; run (and
/// so failed, with the reason) when <c>SCOUT_REQUIRE_CHROMIUM=1</c>, as in CI.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.SkipReason is { } why) Skip = why;
    }
}
