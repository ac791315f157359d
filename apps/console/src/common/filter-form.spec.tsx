import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FilterForm } from './filter-form';

const FIELDS = [
  { param: 'block', label: 'Block' },
  { param: 'status', label: 'Status', choices: [{ value: '', text: 'successful (default)' }, { value: 'failed', text: 'failed' }] },
] as const;

describe('filter form', () => {
  it('shows a status from the URL that is not among its choices, and applies the draft', async () => {
    const onApply = vi.fn();
    render(<FilterForm fields={FIELDS} filters={{ status: 'successful' }} onApply={onApply} />);
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('successful');
    expect(screen.getByRole('option', { name: 'successful', selected: true })).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: 'Block' }), 'nginx');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(onApply).toHaveBeenCalledWith({ status: 'successful', block: 'nginx' });
  });
});
