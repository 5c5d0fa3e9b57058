namespace ScoutAudit.Core;

/// <summary>
/// User and group names from /etc/passwd and /etc/group, for messages ("65534 (nobody)") and for
/// telling a user private group (Debian's and Ubuntu's default: a group of the user's name with the
/// user alone in it, under umask 002) from a group others belong to. Read from the files, not
/// through getpwuid: .NET offers no binding, and users of NSS sources beyond the files (LDAP) are
/// then simply not known by name, and their groups count as shared.
/// </summary>
internal static class UserNames
{
    /// <summary>"1000 (alice)", or the number alone when /etc/passwd does not name it.</summary>
    public static string Describe(uint userId) => Entries("/etc/passwd").FirstOrDefault(e => e.Id == userId) is { Name: { } name } ? $"{userId} ({name})" : $"{userId}";

    /// <summary>"1000 (alice)", or the number alone when /etc/group does not name it.</summary>
    public static string DescribeGroup(uint groupId) => Entries("/etc/group").FirstOrDefault(e => e.Id == groupId) is { Name: { } name } ? $"{groupId} ({name})" : $"{groupId}";

    /// <summary>
    /// Whether the group has no member but <paramref name="ownerId"/>: named in /etc/group with no
    /// member listed other than the owner, and the primary group of no other user in /etc/passwd.
    /// </summary>
    public static bool IsPrivateGroup(uint groupId, uint ownerId)
    {
        var users = Entries("/etc/passwd").ToList();
        var owner = users.FirstOrDefault(u => u.Id == ownerId).Name;
        if (Entries("/etc/group").FirstOrDefault(g => g.Id == groupId) is not { Name: not null } group) return false;
        if (group.Fourth.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(member => member != owner)) return false; // its members
        return !users.Any(u => u.Id != ownerId && u.Fourth == groupId.ToString(System.Globalization.CultureInfo.InvariantCulture)); // their primary group
    }

    /// <summary>
    /// The name, id and fourth field of each name:x:id:fourth... line: in /etc/passwd the user's primary
    /// group, in /etc/group its members. A file that cannot be read gives none.
    /// </summary>
    private static IEnumerable<(string? Name, uint Id, string Fourth)> Entries(string file)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var line in lines)
        {
            var fields = line.Split(':');
            if (fields.Length < 4 || !uint.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var id)) continue;
            yield return (fields[0], id, fields[3]);
        }
    }
}
