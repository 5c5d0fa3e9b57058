namespace ScoutAudit.Core;

/// <summary>
/// The event types Scout itself writes. Others are allowed (Scout adds types over time);
/// these are the ones offered by tab completion.
/// </summary>
public static class KnownEventTypes
{
    public static IReadOnlyList<string> All { get; } =
    [
        "nav", "brief", "cascade", "validation_fail", "budget", "skip", "trigger", "tldr",
        "tldr_auto_generated", "deep", "doc_sync", "commit_draft", "pr_snippet", "impact_analysis",
        "module_brief", "pr_synthesis", "roast_with_docs",
    ];

    public const string Nav = "nav";
    public const string ValidationFail = "validation_fail";
}
