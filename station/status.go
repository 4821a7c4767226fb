package station

// NextStatus decides the bench status of an order after Amazon reports a new
// fulfillment status. Local facts win where Amazon cannot know them: a label
// bought here stays "label bought" (a cancellation then shows as needing a
// void, see NeedsVoid) and Amazon never un-ships an order we shipped.
func NextStatus(current OrderStatus, known bool, amazon AmazonStatus) OrderStatus {
	if !known {
		switch amazon {
		case AmazonCancelled:
			return StatusCancelled
		case AmazonShipped:
			return StatusShipped
		default:
			return StatusReady
		}
	}
	switch current {
	case StatusLabelBought, StatusShipped:
		return current
	case StatusCancelled:
		if amazon == AmazonUnshipped || amazon == AmazonPartiallyShipped {
			return StatusReady
		}
		return current
	default: // ready
		switch amazon {
		case AmazonCancelled:
			return StatusCancelled
		case AmazonShipped:
			return StatusShipped
		}
		return StatusReady
	}
}

// NeedsVoid reports an order whose buyer cancelled after its label was bought:
// the packer must void the label so the seller is refunded.
func NeedsVoid(status OrderStatus, amazon AmazonStatus) bool {
	return status == StatusLabelBought && amazon == AmazonCancelled
}
