using System.Text.RegularExpressions;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests;

/// <summary>The README's first command, the module's main job, does what the README says: taken from the README itself.</summary>
public sealed class ReadmeMainJobTests
{
    private static string MainJobScript()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var command = Regex.Match(readme, @"^dotnet run --project src/ScoutAudit\.Shell -- -Command '(?<script>[^']+)'$", RegexOptions.Multiline);
        Assert.True(command.Success, "README.md no longer starts with the shell's main-job command");
        return command.Groups["script"].Value;
    }

    [ModuleFact]
    public void TheMainJobWritesToTheDefaultLogAndShowsEventsSpendAndAccuracyAsTables()
    {
        using var home = new TempFolder();
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home.FullPath,
            ["SCOUT_AUDIT_PATH"] = null, // the default log: ~/.scout/audit.jsonl
            ["SCOUT_AUDIT_MODULE"] = Repository.ModuleManifest,
        };

        var run = ShellProcess.Run(["-Command", MainJobScript()], environment);

        Assert.True(run.ExitCode == 0 && run.Err.Length == 0, run.ToString());
        var log = home.File(".scout", "audit.jsonl");
        Assert.Equal(2, File.ReadAllLines(log).Length);
        // The three tables, by their headers, and what they hold.
        Assert.Matches(@"Timestamp\s+Event\s+Model\s+Cost", run.Out);
        Assert.Contains("validation_fail", run.Out);
        Assert.Matches(@"Group\s+Cost\s+Events\s+InputTokens\s+OutputTokens", run.Out);
        Assert.Matches(@"llama-3\.1-8b\s+0\.000003\s+2\s+42\s+28", run.Out);
        Assert.Matches(@"TotalNav\s+ValidationFailCount\s+AccuracyPct", run.Out);
        Assert.Matches(@"\n\s+1\s+1\s+0\s", run.Out);
    }
}
