using ScoutAudit.Core;

namespace ScoutAudit;

/// <summary>What Test-ScoutAuditLog concluded about one log, after its findings.</summary>
public sealed class LogVerification
{
    internal LogVerification(LogVerificationSummary summary, TimeSpan duration)
    {
        Path = summary.Path;
        Status = summary.Status;
        Archives = summary.Archives;
        Chained = summary.Chained;
        Signed = summary.Signed;
        SignaturesChecked = summary.SignaturesChecked;
        Unchained = summary.Unchained;
        Removed = summary.Removed;
        Errors = summary.Errors;
        Warnings = summary.Warnings;
        BytesRead = summary.BytesRead;
        Duration = duration;
    }

    /// <summary>
    /// Always "Summary": the findings before it carry their kind here. With <see cref="Severity"/>, it
    /// lets <c>Where-Object Severity -eq Error</c> and <c>Where-Object Kind -eq ...</c> filter the whole
    /// output of Test-ScoutAuditLog under Set-StrictMode, which refuses a property an object lacks.
    /// </summary>
    public string Kind => "Summary";

    /// <summary>Always null: a summary is no finding (see <see cref="Kind"/>).</summary>
    public IntegritySeverity? Severity => null;

    /// <summary>The active file's full path.</summary>
    public string Path { get; }

    /// <summary>Verified (nothing found), Unchained (no error, but archives outside the chain) or Failed (an error was found).</summary>
    public string Status { get; }

    /// <summary>Archives on disk.</summary>
    public int Archives { get; }

    /// <summary>Archives the chain records (present or not).</summary>
    public int Chained { get; }

    /// <summary>Chained entries that carry a signature.</summary>
    public int Signed { get; }

    /// <summary>Signatures checked against -PublicKey (0 without it).</summary>
    public int SignaturesChecked { get; }

    /// <summary>Archives outside the chain that predate it.</summary>
    public int Unchained { get; }

    /// <summary>Archives the chain records as removed by retention.</summary>
    public int Removed { get; }

    public int Errors { get; }

    public int Warnings { get; }

    /// <summary>Bytes read: archives hashed or decompressed, sealed segments and the active file.</summary>
    public long BytesRead { get; }

    public TimeSpan Duration { get; }

    public override string ToString() => $"{Status}: {Path}";

    /// <summary>The text of the default view, wrapped to <paramref name="width"/> columns.</summary>
    [System.Management.Automation.Hidden]
    public string ToDisplayString(int width) => WrappedText.Layout(
        $"{Status,-WrappedText.Indent}{Path}",
        [
            $"archives: {Archives} on disk, {Chained} chained, {Unchained} unchained, {Removed} removed",
            $"signatures: {Signed}, checked: {SignaturesChecked}; errors: {Errors}, warnings: {Warnings}",
            string.Create(System.Globalization.CultureInfo.CurrentCulture, $"{BytesRead / 1048576.0:N1} MB read in {Duration.TotalSeconds:N2} s"),
        ],
        width);
}
