# The PowerShell examples of a markdown page: every fenced block (``` or ~~~) whose info string
# starts with powershell, pwsh or ps1. Written here rather than with Markdig (which the help
# generator uses) because the suite runs in plain pwsh: fences are all it needs to know of
# markdown, and the rules below are CommonMark's for them.

function Get-MarkdownExample {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        # How the page is named in test names and messages (relative to the repository).
        [Parameter(Mandatory)] [string] $Name
    )
    $lines = (Get-Content -Raw $Path) -replace "`r`n", "`n" -split "`n"
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -notmatch '^(?<indent> {0,3})(?<fence>`{3,}|~{3,})(?<info>[^`]*)$') { continue }
        $indent = $Matches.indent.Length
        $fence = $Matches.fence
        $language = ($Matches.info.Trim() -split ' ', 2)[0]
        $start = $i
        $code = [Text.StringBuilder]::new()
        $promptLine = $null
        # A closing fence: the opening's character, at least as many, nothing else, indented at most 3.
        for ($i++; $i -lt $lines.Count -and -not ($lines[$i] -match "^ {0,3}$([regex]::Escape($fence[0]))+\s*$" -and $lines[$i].Trim().Length -ge $fence.Length); $i++) {
            $content = $lines[$i] -replace "^ {0,$indent}", ''
            if ($null -eq $promptLine -and $content -match '^\s*PS(\s+[^>\n]*)?>') { $promptLine = $i + 1 }
            [void]$code.Append($content).Append("`n")
        }
        if ($language -in 'powershell', 'pwsh', 'ps1') {
            [pscustomobject]@{ File = $Name; Line = $start + 1; Code = $code.ToString(); PromptLine = $promptLine }
        }
    }
}

<#
.SYNOPSIS
    The examples of README.md and of every page in docs/en-US, as hashtables (File, Line, Code,
    PromptLine) so that Pester's -ForEach can name a test after them.
#>
function Get-DocumentedExample {
    param([Parameter(Mandatory)] [string] $Root)
    $pages = @(Get-Item (Join-Path $Root 'README.md')) + @(Get-ChildItem (Join-Path $Root 'docs/en-US') -Filter *.md | Sort-Object Name)
    foreach ($page in $pages) {
        Get-MarkdownExample -Path $page.FullName -Name ([IO.Path]::GetRelativePath($Root, $page.FullName)) |
            ForEach-Object { @{ File = $_.File; Line = $_.Line; Code = $_.Code; PromptLine = $_.PromptLine } }
    }
}

Export-ModuleMember -Function Get-MarkdownExample, Get-DocumentedExample
