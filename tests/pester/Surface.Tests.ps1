#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The rules of the module's surface (docs/surface.md), checked over every command it exports, so
# that a new cmdlet or parameter that breaks one fails here rather than in a user's script.

BeforeDiscovery {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
    $cmdlets = @(Get-Command -Module ScoutAudit -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $parameters = @(foreach ($command in Get-Command -Module ScoutAudit -CommandType Cmdlet) {
            foreach ($name in $command.Parameters.Keys) { if ($name -notin $common) { @{ Command = $command.Name; Parameter = $name } } }
        })
}

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
    # The cmdlets that read events, whose first position is their question rather than -Path.
    $readers = 'Get-ScoutAuditEvent', 'Get-ScoutAuditSpend', 'Get-ScoutAuditAccuracy', 'Export-ScoutAuditReport'
    # The cmdlets that create a log: one literal -Path, as the file may not exist yet.
    $creators = 'Write-ScoutAuditEvent', 'Set-ScoutAuditLog'
    # The cmdlets that delete, send off the machine or write beyond the log.
    $consequential = 'Remove-ScoutAuditArchive', 'Invoke-ScoutAuditRotation', 'Export-ScoutAuditReport', 'Send-ScoutAuditEvent', 'Register-ScoutAuditArchive'
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'The surface of <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command $Name
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $command.Verb
    }

    It 'declares what it outputs' {
        $command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'takes -Path as the rule for its kind says' {
        if (-not $command.Parameters.ContainsKey('Path')) { return }
        $path = $command.Parameters['Path']
        if ($Name -in $creators) {
            $path.ParameterType | Should -Be ([string]) -Because 'a command that creates a log takes one, literally'
            return
        }
        $path.ParameterType | Should -Be ([string[]]) -Because 'a command on existing logs takes several'
        if ($Name -in $readers) {
            @($path.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.Position -ge 0 }) |
                Should -BeNullOrEmpty -Because 'a reader''s first position is its question (event type, hours, page)'
        }
        $path.Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute' -Because 'every command on existing logs expands wildcards in -Path'
        $path.Aliases | Should -Not -Contain 'LiteralPath'
        $command.Parameters.Keys | Should -Contain 'LiteralPath'
        $literal = $command.Parameters['LiteralPath']
        $literal.Aliases | Should -Contain 'PSPath'
        @($literal.ParameterSets.Keys | Where-Object { $_ -in $path.ParameterSets.Keys }) | Should -BeNullOrEmpty -Because '-LiteralPath is a parameter set of its own'
    }

    It 'asks before it deletes, sends or writes beyond the log' {
        if ($Name -notin $consequential) { return }
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
    }
}

Describe '<Command> -<Parameter>' -ForEach $parameters {
    It 'is described in the help, in a sentence at least' {
        $help = Get-Help $Command -Parameter $Parameter
        ($help.description.Text -join ' ').Trim().Length | Should -BeGreaterOrEqual 10
    }
}

Describe 'The names of the design card' {
    It 'keeps <Alias> as an alias of <Cmdlet>, exported by the manifest' -ForEach @(
        @{ Alias = 'Write-ScoutAudit'; Cmdlet = 'Write-ScoutAuditEvent' }
        @{ Alias = 'Get-ScoutSpend'; Cmdlet = 'Get-ScoutAuditSpend' }
        @{ Alias = 'Get-ScoutAccuracy'; Cmdlet = 'Get-ScoutAuditAccuracy' }
        @{ Alias = 'Invoke-ScoutAuditRotate'; Cmdlet = 'Invoke-ScoutAuditRotation' }
    ) {
        $command = Get-Command $Alias -Module ScoutAudit
        $command.CommandType | Should -Be 'Alias'
        $command.ResolvedCommand.Name | Should -Be $Cmdlet
        (Get-Module ScoutAudit).ExportedAliases.Keys | Should -Contain $Alias
        (Get-Help $Alias).Name | Should -Be $Cmdlet
    }

    It 'runs a script written with the first names unchanged' {
        $log = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
        Write-ScoutAudit nav -Cost 0.25 -Path $log
        Write-ScoutAudit validation_fail -Path $log

        (Get-ScoutSpend -Hours 1 -Path $log).Cost | Should -Be 0.25
        (Get-ScoutAccuracy -Path $log).AccuracyPct | Should -Be 0
        (Invoke-ScoutAuditRotate -Path $log -Confirm:$false).Lines | Should -Be 2
        Close-ScoutAuditLog -Path $log
    }

    It 'takes -Follow for -Wait on <_>' -ForEach 'Get-ScoutAuditEvent', 'Send-ScoutAuditEvent' {
        (Get-Command $_).Parameters['Wait'].Aliases | Should -Contain 'Follow'
    }
}
