namespace ScoutAudit.Core;

/// <summary>The session id used for events that do not name one: one UUID4 per process, as the original.</summary>
public static class ProcessSession
{
    private static readonly Lazy<string> Current = new(() => Guid.NewGuid().ToString("D"));

    /// <summary>This process's session id, a lowercase UUID4 string.</summary>
    public static string Id => Current.Value;
}
