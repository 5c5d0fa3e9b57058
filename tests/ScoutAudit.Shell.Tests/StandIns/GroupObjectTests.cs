using System.Collections;
using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Group-Object as PowerShell 7.4 documents it.</summary>
public class GroupObjectTests
{
    private const string Events = """
        $events = @(
            [pscustomobject]@{ Event = 'nav';   Model = 'llama' }
            [pscustomobject]@{ Event = 'brief'; Model = 'gpt' }
            [pscustomobject]@{ Event = 'nav';   Model = 'gpt' }
            [pscustomobject]@{ Event = 'skip';  Model = 'claude' }
            [pscustomobject]@{ Event = 'nav';   Model = 'gpt' }
        )
        """ + "\n";

    [Fact]
    public void GroupsCarryCountNameGroupAndValuesAndComeOutSortedByKey()
    {
        var groups = ShellRun.Objects(Events + "$events | Group-Object Model");

        Assert.Equal(["claude", "gpt", "llama"], groups.Select(g => g.Properties["Name"].Value));
        Assert.Equal([1, 3, 1], groups.Select(g => (int)g.Properties["Count"].Value));
        var gpt = groups[1];
        Assert.Equal(["brief", "nav", "nav"], ((IEnumerable)gpt.Properties["Group"].Value).Cast<dynamic>().Select(o => (string)o.Event));
        Assert.Equal(["gpt"], ((IEnumerable)gpt.Properties["Values"].Value).Cast<object>());
        Assert.Equal(["Values", "Count", "Group", "Name"], gpt.Properties.Select(p => p.Name));
        Assert.Equal("Microsoft.PowerShell.Commands.GroupInfo", gpt.TypeNames[0]);
    }

    [Fact]
    public void GroupThenSortByCountRendersWithPowerShellsGroupView()
    {
        string text = ShellRun.Output(Events + "$events | Group-Object Model | Sort-Object Count");
        Assert.Equal("""

            Count Name                      Group
            ----- ----                      -----
                1 claude                    {@{Event=skip; Model=claude}}
                1 llama                     {@{Event=nav; Model=llama}}
                3 gpt                       {@{Event=brief; Model=gpt}, @{Event=nav; Model=gpt}, @{Event=nav; Model=gpt}}


            """.Replace("\r", string.Empty, StringComparison.Ordinal), text);
    }

    [Fact]
    public void SeveralPropertiesJoinTheNameWithCommas()
    {
        var groups = ShellRun.Objects(Events + "$events | Group-Object Event, Model");
        Assert.Equal(["brief, gpt", "nav, gpt", "nav, llama", "skip, claude"], groups.Select(g => g.Properties["Name"].Value));
    }

    [Fact]
    public void AScriptBlockGroupsByItsValue()
    {
        var groups = ShellRun.Objects("1..7 | Group-Object { $_ % 3 }");
        Assert.Equal(["0", "1", "2"], groups.Select(g => g.Properties["Name"].Value));
        Assert.Equal([2, 3, 2], groups.Select(g => (int)g.Properties["Count"].Value));
    }

    [Fact]
    public void KeysAreCaseInsensitiveUnlessAsked()
    {
        Assert.Equal([2], ShellRun.Objects("'Nav', 'nav' | Group-Object").Select(g => (int)g.Properties["Count"].Value));
        Assert.Equal(2, ShellRun.Objects("'Nav', 'nav' | Group-Object -CaseSensitive").Count);
    }

    [Fact]
    public void NoElementLeavesTheGroupsEmpty()
    {
        var gpt = ShellRun.Objects(Events + "$events | Group-Object Model -NoElement")[1];
        Assert.Equal(3, (int)gpt.Properties["Count"].Value);
        Assert.Empty((IEnumerable<object>)((IEnumerable)gpt.Properties["Group"].Value).Cast<object>());
    }

    [Fact]
    public void AsHashTableMapsEachKeyToItsObjects()
    {
        var counts = ShellRun.Objects(Events + "$h = $events | Group-Object Model -AsHashTable; $h['GPT'].Count; $h.Keys.Count");
        Assert.Equal([3, 3], counts.Select(c => (int)c.BaseObject));
        var asString = ShellRun.Objects("$h = 1, 2, 1 | Group-Object -AsHashTable -AsString; $h['1'].Count");
        Assert.Equal(2, (int)asString.Single().BaseObject);
    }

    [Fact]
    public void KeysOfDifferentTypesKeepFirstAppearanceOrder() =>
        Assert.Equal(["b", "1", "a"], ShellRun.Objects("'b', 1, 'a', 1 | Group-Object").Select(g => g.Properties["Name"].Value));
}
