export { formatMoney, formatPercent, formatSignedMoney } from '../../../shared/format/money';
