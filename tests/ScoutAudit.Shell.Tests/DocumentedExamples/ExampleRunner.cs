using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.DocumentedExamples;

/// <summary>What running one documented example gave.</summary>
public sealed record ExampleOutcome(MarkdownExample Example, ShellResult Result)
{
    public bool Succeeded => Result.ExitCode == 0;

    public override string ToString() => $"{Example} (exit {Result.ExitCode})\n{Example.Code}{Result}";
}

/// <summary>
/// Runs documented examples in the shell, each in a fresh session, with HOME, <c>$env:SCOUT_AUDIT_PATH</c> and the
/// working directory pointing into a temporary folder, so no example reads or writes the real <c>~/.scout</c>.
/// The temporary log is seeded with a few events, so examples that query it have something to show.
/// </summary>
/// <remarks>
/// These variables belong to the whole process; the tests that use the runner are in <see cref="ProcessEnvironmentCollection"/>,
/// which xunit runs alone.
/// </remarks>
public static class ExampleRunner
{
    public static ExampleOutcome Run(MarkdownExample example, string? modulePath)
    {
        using var folder = new TempFolder(example.File.Replace('/', '_') + "_" + example.Line);
        string home = folder.File("home");
        string log = folder.File("logs", "audit.jsonl");
        string work = folder.File("work");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(work);
        var now = DateTimeOffset.UtcNow;
        AuditLogFile.Write(log,
        [
            new(now.AddMinutes(-90), "nav", "llama-3.1-8b", 0.000003),
            new(now.AddMinutes(-40), "brief", "gpt-4o-mini", 0.0021),
            new(now.AddMinutes(-30), "validation_fail", "llama-3.1-8b", 0.0),
            new(now.AddMinutes(-10), "nav", "gpt-4o-mini", 0.0004),
        ]);
        string script = folder.Write("example.ps1", example.Code);

        var saved = (Home: Environment.GetEnvironmentVariable("HOME"), Log: Environment.GetEnvironmentVariable("SCOUT_AUDIT_PATH"), Directory: Environment.CurrentDirectory);
        try
        {
            Environment.SetEnvironmentVariable("HOME", home);
            Environment.SetEnvironmentVariable("SCOUT_AUDIT_PATH", log);
            Environment.CurrentDirectory = work;
            return new ExampleOutcome(example, ShellRun.InProcess(["-File", script], modulePath));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HOME", saved.Home);
            Environment.SetEnvironmentVariable("SCOUT_AUDIT_PATH", saved.Log);
            Environment.CurrentDirectory = saved.Directory;
        }
    }
}

/// <summary>Tests that change process-wide state (environment, working directory); xunit runs them after all others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
