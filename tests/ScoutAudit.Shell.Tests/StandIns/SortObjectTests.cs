using ScoutAudit.Shell.Tests.Support;

namespace ScoutAudit.Shell.Tests.StandIns;

/// <summary>Sort-Object as PowerShell 7.4 documents it.</summary>
public class SortObjectTests
{
    private const string Items = """
        $items = @(
            [pscustomobject]@{ Name = 'a'; Cost = 1; Model = 'x' }
            [pscustomobject]@{ Name = 'b'; Cost = 2; Model = 'y' }
            [pscustomobject]@{ Name = 'c'; Cost = 1; Model = 'y' }
            [pscustomobject]@{ Name = 'd'; Cost = 2; Model = 'x' }
        )
        """ + "\n";

    private static string Names(string script) =>
        string.Join(' ', ShellRun.Objects(Items + script).Select(o => o.Properties["Name"].Value));

    private static string Values(string script) =>
        string.Join(' ', ShellRun.Objects(script).Select(o => o.ToString()));

    [Fact]
    public void EqualKeysKeepTheirInputOrderInBothDirections()
    {
        Assert.Equal("a c b d", Names("$items | Sort-Object Cost"));
        Assert.Equal("b d a c", Names("$items | Sort-Object Cost -Descending"));
        Assert.Equal("a c b d", Names("$items | Sort-Object Cost -Stable"));
    }

    [Fact]
    public void SeveralPropertiesSortByTheFirstThenTheNext() =>
        Assert.Equal("a d c b", Names("$items | Sort-Object Model, Cost"));

    [Fact]
    public void HashtableKeysSetTheDirectionPerProperty()
    {
        Assert.Equal("d b c a", Names("$items | Sort-Object @{Expression='Cost'; Descending=$true}, @{e='Name'; Descending=$true}"));
        Assert.Equal("b d a c", Names("$items | Sort-Object @{Expression='Cost'; Ascending=$false}, Name"));
        Assert.Equal("d b c a", Names("$items | Sort-Object -Descending Cost, @{Expression='Name'; Ascending=$false}"));
    }

    [Fact]
    public void AScriptBlockIsAKey() =>
        Assert.Equal("d a c b", Names("$items | Sort-Object { $_.Model + $_.Name } -Descending | Sort-Object { $_.Model }"));

    [Fact]
    public void NumbersSortAsNumbersAndStringsAsStrings()
    {
        Assert.Equal("9 10 100", Values("10, 9, 100 | Sort-Object"));
        Assert.Equal("10 100 9", Values("'10', '9', '100' | Sort-Object"));
    }

    [Fact]
    public void StringsCompareCaseInsensitivelyUnlessAsked()
    {
        Assert.Equal("a b B", Values("'b', 'a', 'B' | Sort-Object"));
        Assert.Equal("a b B", Values("'B', 'a', 'b' | Sort-Object -CaseSensitive"));
    }

    [Fact]
    public void UniqueKeepsTheFirstOfEachRunOfEqualKeys()
    {
        Assert.Equal("a b c", Values("'b', 'a', 'B', 'c', 'a' | Sort-Object -Unique"));
        Assert.Equal("a b", Names("$items | Sort-Object Cost -Unique"));
    }

    [Fact]
    public void ObjectsWithoutThePropertyGoLastInEitherDirection()
    {
        string script = "@([pscustomobject]@{ N = 'none' }, [pscustomobject]@{ N = 'two'; V = 2 }, [pscustomobject]@{ N = 'one'; V = 1 })";
        Assert.Equal(["one", "two", "none"], ShellRun.Objects(script + " | Sort-Object V").Select(o => o.Properties["N"].Value));
        Assert.Equal(["two", "one", "none"], ShellRun.Objects(script + " | Sort-Object V -Descending").Select(o => o.Properties["N"].Value));
    }

    [Fact]
    public void TopAndBottomTakeFromTheSortedOrder()
    {
        Assert.Equal("1 2", Values("5, 3, 1, 4, 2 | Sort-Object -Top 2"));
        Assert.Equal("4 5", Values("5, 3, 1, 4, 2 | Sort-Object -Bottom 2"));
        Assert.Equal("5 4", Values("5, 3, 1, 4, 2 | Sort-Object -Top 2 -Descending"));
    }

    [Fact]
    public void DatesSortChronologically() =>
        Assert.Equal("2025 2026 2027", Values("[datetime]'2027-01-01', [datetime]'2025-06-01', [datetime]'2026-03-01' | Sort-Object | ForEach-Object Year"));
}
