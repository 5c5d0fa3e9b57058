using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ScoutAudit.Shell.StandIns;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Stand-ins fill gaps only: a command the engine has keeps winning.</summary>
public class StandInRegistrationTests
{
    [Fact]
    public void EveryStandInIsRegisteredInThisEngineWhichLacksThemAll()
    {
        var state = InitialSessionState.CreateDefault2();
        var added = StandInCatalog.Register(state);
        Assert.Equal(StandInCatalog.All.Select(s => s.Name), added.Select(s => s.Name));
        Assert.All(added, s => Assert.IsType<SessionStateCmdletEntry>(Assert.Single(state.Commands[s.Name])));
    }

    [Fact]
    public void ACommandTheEngineAlreadyHasIsNotReplaced()
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateFunctionEntry("Get-Date", "'the engine''s own'"));

        var added = StandInCatalog.Register(state);

        Assert.DoesNotContain(added, s => s.Name == "Get-Date");
        Assert.Contains(added, s => s.Name == "Select-Object");
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        Assert.Equal("the engine's own", ps.AddCommand("Get-Date").Invoke().Single().ToString());
    }

    [Fact]
    public void EachStandInIsACmdletNamedAsPowerShellsAndDocumented()
    {
        foreach (var standIn in StandInCatalog.All)
        {
            var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(standIn.Implementation, typeof(CmdletAttribute))!;
            Assert.Equal(standIn.Name, attribute.VerbName + "-" + attribute.NounName);
            Assert.NotEmpty(standIn.Parameters);
        }
    }

    [Fact]
    public void StandInsAreOrdinaryCmdletsToGetCommand()
    {
        var names = ShellRun.Objects("Get-Command -CommandType Cmdlet | Where-Object { $_.ImplementingType.Namespace -eq 'ScoutAudit.Shell.StandIns' } | ForEach-Object Name");
        Assert.Equal(StandInCatalog.All.Select(s => s.Name).Order(), names.Select(n => n.ToString()).Order());
    }
}
