using ScoutAudit.Core;

namespace ScoutAudit;

/// <summary>One problem Test-ScoutAuditLog found: its kind, the file, what was expected and what is there.</summary>
public sealed class IntegrityFinding
{
    internal IntegrityFinding(Core.IntegrityFinding finding, string log)
    {
        Kind = finding.Kind;
        Severity = finding.Severity;
        Path = finding.Path;
        Message = finding.Message;
        Expected = finding.Expected;
        Actual = finding.Actual;
        Entry = finding.Entry;
        Line = finding.Line;
        Log = log;
    }

    /// <summary>What is wrong: ArchiveModified, ArchiveMissing, ChainBroken... (about_ScoutAuditIntegrity lists each).</summary>
    public IntegrityFindingKind Kind { get; }

    /// <summary>Error: the log is not what was written. Warning: something cannot be vouched for, or was lost without being altered.</summary>
    public IntegritySeverity Severity { get; }

    /// <summary>The file concerned: an archive, the archive index, a sealed segment, the active file or its time summaries (<c>.blocks</c>).</summary>
    public string Path { get; }

    public string Message { get; }

    /// <summary>What the chain, or the last verification, records; null where nothing is recorded.</summary>
    public string? Expected { get; }

    /// <summary>What is there now.</summary>
    public string? Actual { get; }

    /// <summary>The chained entry concerned (its sequence number, from 0), if any.</summary>
    public long? Entry { get; }

    /// <summary>The line of the file concerned, if any.</summary>
    public long? Line { get; }

    /// <summary>The active file of the log verified.</summary>
    public string Log { get; }

    public override string ToString() => $"{Kind}: {Message}";

    /// <summary>The text of the default view, wrapped to <paramref name="width"/> columns.</summary>
    [System.Management.Automation.Hidden]
    public string ToDisplayString(int width) => WrappedText.Layout(
        $"{Severity,-WrappedText.Indent}{Kind} {System.IO.Path.GetFileName(Path)}{(Line is { } line ? $", line {line}" : Entry is { } entry ? $", entry {entry}" : "")}",
        [Message, Expected is null ? null : $"expected: {Expected}", Actual is null ? null : $"actual: {Actual}"],
        width);
}
