using System.Management.Automation;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests;

/// <summary>
/// The two internal members of System.Management.Automation the stand-ins depend on. When an engine update moves
/// them, these fail first and say which member to look for (see EngineInternals.cs).
/// </summary>
public class EngineInternalsTests
{
    [Fact]
    public void TheInternalMembersResolveInThisEngine()
    {
        var exception = Record.Exception(EngineInternals.Verify);
        Assert.True(exception is null, $"SMA {typeof(PSObject).Assembly.GetName().Version}: {exception?.InnerException?.Message ?? exception?.Message}");
    }

    [Fact]
    public void StopUpstreamCommandsEndsTheProducerAfterFirst()
    {
        // If stopping upstream did not work, the producer would count to 100000 before the pipeline ended.
        var output = ShellRun.Output("$n = 0; 1..100000 | ForEach-Object { $n++; $_ } | Select-Object -First 2; \"produced $n\"");
        Assert.Equal("1\n2\nproduced 2\n", output);
    }

    [Fact]
    public void ExitInAScriptFileReachesTheHost()
    {
        using var folder = new TempFolder();
        string script = folder.Write("exits.ps1", "exit 42\n");
        Assert.Equal(42, ShellRun.InProcess(["-File", script]).ExitCode);
    }

    [Fact]
    public void FormatTableProducesTheEnginesFormatObjects()
    {
        var objects = ShellRun.Objects("[pscustomobject]@{a=1} | Format-Table");
        Assert.Contains(objects, o => o.BaseObject.GetType().FullName == "Microsoft.PowerShell.Commands.Internal.Format.FormatStartData");
    }
}
