using System.Globalization;
using System.Management.Automation;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// How Sort-Object, Group-Object and Select-Object -Unique compare two values in PowerShell: the language's own
/// comparison (numbers as numbers, strings by culture, case-insensitive unless asked), two nulls equal, and values
/// that cannot be compared fall back to comparing their string forms.
/// </summary>
internal sealed class ObjectComparer(bool ascending, CultureInfo culture, bool caseSensitive)
{
    public int Compare(object? first, object? second)
    {
        first = PSValue.Base(first);
        second = PSValue.Base(second);
        if (first is null && second is null)
        {
            return 0;
        }

        if (!LanguagePrimitives.TryCompare(first, second, !caseSensitive, culture, out int result))
        {
            string firstText = first is null ? string.Empty : PSObject.AsPSObject(first).ToString();
            string secondText = second is null ? string.Empty : PSObject.AsPSObject(second).ToString();
            result = culture.CompareInfo.Compare(firstText, secondText, caseSensitive ? CompareOptions.None : CompareOptions.IgnoreCase);
        }

        return ascending ? result : -result;
    }
}
