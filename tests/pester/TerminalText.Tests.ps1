#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A log line is written by any process: its text reaches PowerShell inert (issue 25, item 5), so no
# formatting a user chooses (Format-Table <props>, Select-Object, Format-List *, a spend table, the
# bare string) sends its escape sequences to the terminal: OSC 52 (which writes the clipboard),
# clear screen, a window title, C1 CSI, a bidi override. The exact text stays in the Line property,
# and Get-ScoutAuditEvent | Write-ScoutAuditEvent still copies the line byte for byte. The child pwsh
# runs under a pseudo-terminal (script -qfec) as at a prompt; pwsh's own colours are SGR sequences
# (ESC [ ... m) and .NET's console sets the keypad mode (ESC [?1h ESC =), so the tests remove those
# and then find no ESC byte, no BEL and no C1 CSI at all.

Describe 'A log''s text at a terminal' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        $e = [char]0x1b
        $bell = [char]7
        $clipboard = "$e]52;c;cm0gLXJmIH4=$bell"
        $clearScreen = "$e[2J"
        $title = "$e]0;pwned$bell"
        $c1Csi = [string][char]0x9b + '2J'
        $rightToLeft = [string][char]0x202E
        $fffd = [string][char]0xFFFD

        # Each text field of a line carries a sequence; the line is in the original's form (json.dumps:
        # ", " and ": " between members, every control and non-ASCII character escaped as \u001b).
        function New-HostileLog([string] $Folder) {
            $log = Join-Path $Folder 'audit.jsonl'
            $record = [ordered]@{
                ts = '2026-02-13T14:30:22.123Z'; event = "nav$clearScreen"; session_id = "s$rightToLeft"
                cost = 0.5; model = "gpt$title"; input_t = 10; output_t = 2; files = , "a$clearScreen.py"
                reason = "ok${clipboard}then$c1Csi"; config = [ordered]@{ prompt = "p$clearScreen" }
                "ticket$title" = "T$clipboard"
            }
            function ConvertTo-PythonJson($Value) {
                if ($Value -is [System.Collections.IDictionary]) {
                    '{' + (@(foreach ($key in $Value.Keys) { (ConvertTo-PythonJson $key) + ': ' + (ConvertTo-PythonJson $Value[$key]) }) -join ', ') + '}'
                }
                elseif ($Value -is [array]) { '[' + (@(foreach ($item in $Value) { ConvertTo-PythonJson $item }) -join ', ') + ']' }
                else { ($Value | ConvertTo-Json -Compress -EscapeHandling EscapeNonAscii) -creplace '\\u([0-9A-F]{4})', { '\u' + $_.Groups[1].Value.ToLowerInvariant() } }
            }
            $line = ConvertTo-PythonJson $record
            [System.IO.File]::WriteAllText($log, "$line`n")
            [pscustomobject]@{ Log = $log; Line = $line }
        }

        function Assert-NoControlSequence([string] $Output) {
            $withoutColours = $Output -replace "$e\[[0-9;?]*[a-zA-Z]|$e[=>]", ''
            $withoutColours.IndexOf($e) | Should -Be -1 -Because 'only pwsh''s own colour sequences may carry ESC'
            $withoutColours.IndexOf($bell) | Should -Be -1 -Because 'BEL ends an OSC 52 or title sequence'
            $withoutColours.IndexOf([char]0x9b) | Should -Be -1 -Because 'U+009B is CSI in one character'
            $withoutColours.Contains($rightToLeft, [System.StringComparison]::Ordinal) | Should -BeFalse -Because 'U+202E would make the line read backwards'
            $Output.Contains("$e]52;", [System.StringComparison]::Ordinal) | Should -BeFalse
            $Output.Contains($clearScreen, [System.StringComparison]::Ordinal) | Should -BeFalse
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $hostile = New-HostileLog $folder
        $environment = @{ HOME = $folder; SCOUT_AUDIT_PATH = $hostile.Log; SCOUT_TEST_MODULE = Get-ScoutAuditModulePath }
    }

    It 'prints the properties a user names, the list of every property and the spend table with no escape sequence' {
        $script = Join-Path $folder 'show.ps1'
        Set-Content -LiteralPath $script -Value @'
Import-Module $env:SCOUT_TEST_MODULE
Get-ScoutAuditEvent | Format-Table Timestamp, Reason, Model, Event, SessionId
Get-ScoutAuditEvent | Select-Object Reason, Model, Files, Config
Get-ScoutAuditEvent | Format-List *
Get-ScoutAuditEvent | Select-Object -ExpandProperty Reason
Get-ScoutAuditEvent | ForEach-Object { $_.Config.prompt; $_.Files; $_.ExtraFields; $_.ExtraFieldNames; "$_" }
Get-ScoutAuditSpend -By Model | Format-Table Group, Cost
Get-ScoutAuditSpend -By Event | Select-Object Group
Get-ScoutAuditEvent
Get-ScoutAuditEvent | Format-List
'@
        $pwsh = (Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $script)
        $commandLine = ($pwsh | ForEach-Object { "'$_'" }) -join ' '

        $run = Invoke-ChildProcess -FilePath script -ArgumentList '-qfec', $commandLine, '/dev/null' -Environment $environment

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $run.StdOut | Should -Match "$e\[" -Because 'pwsh at a terminal colours its output, so escape sequences could pass'
        Assert-NoControlSequence $run.StdOut
        $run.StdOut | Should -Match ([regex]::Escape("ok$fffd]52;c;cm0gLXJmIH4=${fffd}then${fffd}2J"))
        $run.StdOut | Should -Match ([regex]::Escape("gpt$fffd]0;pwned$fffd"))
        $run.StdOut | Should -Match ([regex]::Escape("ticket$fffd]0;pwned$fffd"))
    }

    It 'gives the exact text in Line, which ConvertFrom-Json reads back' {
        $read = Get-ScoutAuditEvent -Path $hostile.Log
        try {
            $read.Line | Should -BeExactly $hostile.Line
            $read.Line | Should -Not -Match "[\x00-\x1f\x7f-\x9f]" -Because 'JSON escapes every control character'
            ($read.Line | ConvertFrom-Json).reason | Should -BeExactly "ok${clipboard}then$c1Csi"
            $read.Reason | Should -BeExactly "ok$fffd]52;c;cm0gLXJmIH4=${fffd}then${fffd}2J"
            $read.Reason.Length | Should -Be "ok${clipboard}then$c1Csi".Length -Because 'each character is replaced by one'
            @($read.PSObject.Properties.Name) | Should -Contain "ticket$fffd]0;pwned$fffd"
            ($read | Select-Object *).PSObject.Properties.Name | Should -Not -Contain 'Line' -Because 'Line is hidden, as it repeats every field'
        }
        finally {
            Close-ScoutAuditLog -Path $hostile.Log
        }
    }

    It 'still copies the hostile line byte for byte through Get-ScoutAuditEvent | Write-ScoutAuditEvent' {
        $copy = Join-Path $folder 'copy.jsonl'
        try {
            Get-ScoutAuditEvent -Path $hostile.Log | Write-ScoutAuditEvent -Path $copy
        }
        finally {
            Close-ScoutAuditLog -Path $hostile.Log, $copy
        }
        [System.IO.File]::ReadAllBytes($copy) | Should -Be ([System.IO.File]::ReadAllBytes($hostile.Log))
    }

    It 'completes a model that is no bare word quoted, and offers none a terminal would act on' {
        $log = Join-Path $folder 'models.jsonl'
        try {
            Write-ScoutAuditEvent nav -Path $log -Model "gpt'; Remove-Item ~ -Recurse #"
            Write-ScoutAuditEvent nav -Path $log -Model "gpt$title"
            Write-ScoutAuditEvent nav -Path $log -Model 'gpt-4o-mini'
            Close-ScoutAuditLog -Path $log
            $line = "Get-ScoutAuditEvent -Path '$log' -Model gpt"
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches

            @($completions.CompletionText) | Should -Be @('''gpt''''; Remove-Item ~ -Recurse #''', 'gpt-4o-mini') -Because 'a quote in the name is doubled inside single quotes'
            @($completions.ToolTip) -join ' | ' | Should -Not -Match "[\x00-\x1f]"
        }
        finally {
            Close-ScoutAuditLog -Path $log
        }
    }
}
